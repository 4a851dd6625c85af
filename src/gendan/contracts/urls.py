"""The pages of the contracts app (mounted by web/urls.py under the `web` namespace)."""

from django.urls import path

from gendan.contracts import views

urlpatterns = [
    path("contracts/", views.contracts, name="contracts"),
    path("contracts/terms/", views.set_terms, name="contract_terms"),
    path("contracts/contracts.xlsx", views.contracts_xlsx, name="contracts_xlsx"),
    path("contracts/issue/<str:number>/", views.issue, name="contract_issue"),
    path("contracts/<str:number>/", views.contract_detail, name="contract_detail"),
    path("contracts/<str:number>.pdf", views.contract_pdf, name="contract_pdf"),
]
