"""The pages of finance. The workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.finance import views

urlpatterns = [
    path("finance/receivables/", views.aging_page, name="finance_aging"),
    path("finance/receivables.xlsx", views.aging_xlsx, name="finance_aging_xlsx"),
    path("finance/chase/", views.chase, name="finance_chase"),
    path("finance/ledger/<str:code>/", views.ledger_page, name="finance_ledger"),
    path("finance/ledger/<str:code>/ledger.xlsx", views.ledger_xlsx, name="finance_ledger_xlsx"),
    path(
        "finance/ledger/<str:code>/statement.pdf", views.statement_pdf, name="finance_statement_pdf"
    ),
    path("finance/credit-notes/", views.credit_notes, name="finance_credit_notes"),
    path("finance/today/<str:key>/", views.today_section, name="finance_today_section"),
]
