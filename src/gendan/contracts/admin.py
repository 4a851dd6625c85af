from django.contrib import admin

from gendan.contracts.models import ContractTerms


@admin.register(ContractTerms)
class ContractTermsAdmin(admin.ModelAdmin):
    list_display = ("customer", "needs_countersigned")
