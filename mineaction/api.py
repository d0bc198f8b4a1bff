"""The API assembly: one django-ninja API at /api/v1/ built from each app's router."""

from ninja import NinjaAPI

api = NinjaAPI(title="Mine Action Platform API", version="1", urls_namespace="api")
