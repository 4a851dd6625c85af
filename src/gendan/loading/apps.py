from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoadingConfig(AppConfig):
    name = "gendan.loading"
    label = "loading"
    verbose_name = "Loading"

    def ready(self) -> None:
        from gendan import extensions
        from gendan.loading import events, permissions, sections
        from gendan.loading.permissions import LoadingPerm

        permissions.register()
        events.register()
        sections.register()
        extensions.add_nav_entry(
            label=_("Loading"),
            url_name="web:loading_home",
            perms=(LoadingPerm.PLAN_LOADING, LoadingPerm.COUNT_LOADING),
            app="loading",
            order=90,
        )
        extensions.add_nav_entry(
            label=_("Counting errors"),
            url_name="web:counting_errors",
            perms=(LoadingPerm.VIEW_COUNTING_ERRORS,),
            app="loading",
            order=91,
        )
