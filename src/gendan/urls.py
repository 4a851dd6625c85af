from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from gendan.api import api
from gendan.jobs.selectors import worker_health


def healthz(request: HttpRequest) -> JsonResponse:
    """The database (503 when it does not answer) and the background workers' heartbeats: with
    tasks waiting for `gendan worker`, a stale or absent worker makes the status "degraded"
    (still 200: the web process itself serves)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        worker = worker_health().as_dict()
    except Exception as exc:
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    uses_worker = settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    if not uses_worker:
        worker["status"] = "not used"
    degraded = uses_worker and worker["status"] != "ok"
    return JsonResponse(
        {
            "status": "degraded" if degraded else "ok",
            "database": "ok",
            "vendor": connection.vendor,
            "worker": worker,
        }
    )


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("gendan.web.urls")),
]
