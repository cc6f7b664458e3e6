"""The JSON API under /api/, with its OpenAPI document at /api/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="Casework API", version="1", urls_namespace="api")
