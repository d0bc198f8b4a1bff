"""Article 5 API: summary, hazard areas (GeoJSON), land release, milestones, imports, exports."""

from ninja import Router

from mineaction.landrelease.api import exports, hazards, imports, quality, releases, summary

router = Router()
for part in (summary, hazards, releases, imports, quality, exports):
    router.add_router("", part.router)
