from ninja import Router

router = Router(tags=["article5"])
