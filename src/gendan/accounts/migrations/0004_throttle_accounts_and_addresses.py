from django.db import migrations, models


class Migration(migrations.Migration):
    """The login throttle counts failures per account and per client address (every way in)."""

    dependencies = [("accounts", "0003_permissions_declared_by_their_apps")]

    operations = [
        migrations.RenameField(model_name="loginthrottle", old_name="username", new_name="key"),
        migrations.AlterField(
            model_name="loginthrottle", name="key", field=models.CharField(max_length=150)
        ),
        migrations.AddField(
            model_name="loginthrottle",
            name="scope",
            field=models.CharField(
                choices=[("account", "account"), ("address", "client address")],
                default="account",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="loginthrottle",
            constraint=models.UniqueConstraint(
                fields=("scope", "key"), name="login_throttle_scope_key"
            ),
        ),
    ]
