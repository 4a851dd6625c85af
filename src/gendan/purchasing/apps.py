from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "gendan.purchasing"
    label = "purchasing"

    def ready(self) -> None:
        from gendan.production.services import schedule
        from gendan.purchasing import permissions, sections, selectors

        permissions.register()
        sections.register()
        # the weekly schedule starts a notice line when its materials are in hand
        if selectors.notice_lines_ready not in schedule.MATERIAL_READY:
            schedule.MATERIAL_READY.append(selectors.notice_lines_ready)
