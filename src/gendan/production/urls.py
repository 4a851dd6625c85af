"""The pages of production. The workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.production import views as production_views
from gendan.production import views_first_articles

urlpatterns = [
    path("production/", production_views.production_home, name="production_home"),
    path("production/floor/<str:code>/", production_views.floor, name="production_floor"),
    path("production/plans/<str:code>/", production_views.day_plan, name="production_day_plan"),
    path(
        "production/today/<str:key>/",
        production_views.today_section,
        name="production_today_section",
    ),
    path(
        "production/first-articles/",
        views_first_articles.first_article_list,
        name="production_first_articles",
    ),
    path(
        "production/first-articles/<str:work_order>/",
        views_first_articles.first_article,
        name="production_first_article",
    ),
    path("production/outsourcing/", production_views.outsourcing, name="production_outsourcing"),
]
