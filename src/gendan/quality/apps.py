from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "gendan.quality"
    label = "quality"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from gendan import extensions
        from gendan.quality import gates, permissions, sections

        permissions.register()
        sections.register()
        extensions.add_condition(
            name="quality.final_inspection_passed",
            action="issue_shipping_notice",
            check=gates.final_inspection_passed,
            description=_(
                "When a family of the order's products has a final-inspection plan: the last "
                "final inspection passed, or the sales manager accepted a concession after it "
                "failed."
            ),
            app="quality",
        )
        gates.register_attachments()
