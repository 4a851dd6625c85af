from django.contrib import admin

from gendan.aftersales.models import TeamAssignment


@admin.register(TeamAssignment)
class TeamAssignmentAdmin(admin.ModelAdmin):
    list_display = ("salesperson", "manager")
