"""The pages of loading: plans, pictures, the loading sheet, the count, the error register. The
workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.loading import views as loading_views

urlpatterns = [
    # loading (装柜): plans, pictures, the loading sheet, the count, the error register
    path("loading/", loading_views.loading_home, name="loading_home"),
    path(
        "loading/container-types/",
        loading_views.container_type_list,
        name="container_types",
    ),
    path(
        "loading/container-types/new/",
        loading_views.container_type_edit,
        name="container_type_new",
    ),
    path(
        "loading/container-types/<str:code>/",
        loading_views.container_type_edit,
        name="container_type_edit",
    ),
    path(
        "counting-errors/",
        loading_views.counting_error_register,
        name="counting_errors",
    ),
    path(
        "counting-errors.xlsx",
        loading_views.counting_error_export,
        name="counting_errors_export",
    ),
    path("loading/<str:number>/", loading_views.plan_detail, name="loading_plan"),
    path(
        "loading/<str:number>/progress/",
        loading_views.plan_progress,
        name="loading_progress",
    ),
    path("loading/<str:number>/count/", loading_views.plan_count, name="loading_count"),
    path("loading/<str:number>/close/", loading_views.plan_close, name="loading_close"),
    path(
        "loading/<str:number>/counting-errors/",
        loading_views.counting_error_new,
        name="loading_counting_error",
    ),
    path("loading/<str:number>/sheet/", loading_views.loading_sheet, name="loading_sheet"),
    path(
        "loading/<str:number>/sheet.pdf",
        loading_views.loading_sheet_pdf,
        name="loading_sheet_pdf",
    ),
]
