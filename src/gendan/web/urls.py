"""Every page of the workbench, in the `web` namespace: the shell's own pages, then the pages of
each installed app that has a `urls` module (the app owns its routes and its views; a new app
adds its pages without editing this file)."""

from importlib import import_module

from django.apps import apps
from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.module_loading import module_has_submodule

from gendan.accounts.forms import SignInForm
from gendan.web import views

app_name = "web"


def _app_pages() -> list:
    """The urlpatterns of every gendan app but the shell, in INSTALLED_APPS order."""
    pages: list = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gendan.") or config.name == "gendan.web":
            continue
        if module_has_submodule(config.module, "urls"):
            pages += import_module(f"{config.name}.urls").urlpatterns
    return pages


urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=SignInForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    *_app_pages(),
]
