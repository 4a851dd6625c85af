from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gendan.parties.models import Communication, Contact, Customer, Supplier


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "name",
        "channel",
        "province",
        "currency",
        "deposit_percent",
        "credit_days",
        "salesperson",
    )
    list_filter = ("channel", "province")
    search_fields = ("code", "name")
    inlines = [ContactInline]


admin.site.register(Supplier)
admin.site.register(Communication)
