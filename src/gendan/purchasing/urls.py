"""The pages of purchasing. The workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.purchasing import views as v

urlpatterns = [
    path("purchasing/", v.home, name="purchasing_home"),
    path("purchasing/plan/", v.plan, name="purchasing_plan"),
    path("purchasing/po/<str:po>/", v.po_detail, name="purchasing_po"),
    path("purchasing/po/<str:po>/pdf/", v.po_pdf, name="purchasing_po_pdf"),
    path("purchasing/materials/", v.materials, name="purchasing_materials"),
    path("purchasing/materials/export/", v.materials_export, name="purchasing_materials_export"),
    path("purchasing/packing/", v.packing, name="purchasing_packing"),
    path("purchasing/suppliers/", v.suppliers, name="purchasing_suppliers"),
    path("purchasing/figures/", v.figures, name="purchasing_figures"),
    path("purchasing/figures/export/", v.figures_export, name="purchasing_figures_export"),
    path("purchasing/slow/", v.slow, name="purchasing_slow"),
    path("purchasing/slow/export/", v.slow_export, name="purchasing_slow_export"),
    path("purchasing/readiness/<str:number>/", v.readiness, name="purchasing_readiness"),
    path("purchasing/today/<str:key>/", v.today_section, name="purchasing_today_section"),
]
