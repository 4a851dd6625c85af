from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "gendan.production"
    label = "production"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from gendan import extensions
        from gendan.production import gates, permissions, sections, services

        permissions.register()
        sections.register()
        extensions.add_condition(
            name="production.work_orders_done",
            action="complete_production",
            check=gates.work_orders_done,
            description=_(
                "Every last step of the order's work orders is complete, or its notice was "
                "closed short with a reason."
            ),
            app="production",
        )
        extensions.add_effect(action="release", run=services.on_release, app="production")
        extensions.add_effect(
            action="complete_production", run=services.on_complete, app="production"
        )
        extensions.add_effect(action="cancel", run=services.on_cancel, app="production")
        self.register_attachments()
        self._schedule()
        self._reports()

    def _reports(self) -> None:
        """Production's reports in the reports index (gendan.reports.registry)."""
        from django.utils.translation import gettext_lazy as _

        from gendan.production import permissions as p
        from gendan.reports import registry

        pages = (p.MANAGE_LINES, p.REPORT, p.CONFIRM_PLAN)
        registry.add_report(
            key="production.slips",
            title=_("Slip reasons"),
            description=_("Units short of the day's plan per reason, line, ISO week and customer."),
            url_name="web:production_slips",
            perms=pages,
            app="production",
            group=_("Production"),
            order=60,
        )
        registry.add_report(
            key="production.plan_progress",
            title=_("Plan progress of an order"),
            description=_(
                "生产计划进度跟踪表: opened from the production panel of an order's cockpit."
            ),
            url_name="",
            app="production",
            group=_("Production"),
            order=61,
        )

    def register_attachments(self) -> None:
        from gendan.attachments import access
        from gendan.production import selectors
        from gendan.production.services import first_articles

        access.register(
            model=first_articles.SAMPLE_MODEL,
            lookup=selectors.first_article_sample_for,
            key_of=lambda sample: sample.number,
            timeline=lambda sample: {
                "order": sample.first_article.order,
                "customer": sample.first_article.order.customer,
            },
            url=first_articles.sample_url,
        )

    def _schedule(self) -> None:
        """The weekly schedule: the Monday-morning job and the planner's navigation entry."""
        from datetime import time

        from django.utils.translation import gettext_lazy as _

        from gendan import extensions
        from gendan.jobs import registry
        from gendan.production import permissions
        from gendan.production.services import schedule

        registry.register(
            registry.Job(
                name="production.weekly_schedule",
                label=_("Weekly production schedule (Mondays)"),
                schedule=registry.Daily(at=time(6, 30)),
                run=schedule.monday_job,
                app="production",
            )
        )
        extensions.add_nav_entry(
            label=_("Schedule"),
            url_name="web:production_schedule",
            perms=(permissions.PLAN,),
            app="production",
            order=61,
        )
