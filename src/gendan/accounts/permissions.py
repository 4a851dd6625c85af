"""Named permissions and the roles of MISSION.md: one place, read by services and seeding."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Perm(models.TextChoices):
    VIEW_ALL = "view_all", _("See every customer and order")
    VIEW_PRICES = "view_prices", _("See prices and amounts")
    ENTER_ORDER = "enter_order", _("Enter and submit orders")
    AMEND_ORDER = "amend_order", _("Amend orders")
    SIGN_AS_FINANCE = "sign_as_finance", _("Sign orders for finance")
    SIGN_AS_MANAGER = "sign_as_sales_manager", _("Sign orders as sales manager")
    REQUEST_PAYMENT = "request_payment", _("Request deposits and balances")
    CONFIRM_PAYMENT = "confirm_payment", _("Confirm payments received")
    ALLOW_CREDIT = "allow_credit", _("Let an order ship on credit terms")
    RELEASE_ORDER = "release_order", _("Release orders to stock and production")
    RECORD_PRODUCTION = "record_production", _("Record production")
    ISSUE_SHIPPING_NOTICE = "issue_shipping_notice", _("Issue shipping notices")
    ISSUE_OUTBOUND_SLIP = "issue_outbound_slip", _("Issue outbound slips")
    ISSUE_DELIVERY_NOTE = "issue_delivery_note", _("Issue delivery notes")
    SHIP_GOODS = "ship_goods", _("Ship goods out of the warehouse")
    CONFIRM_DELIVERY = "confirm_delivery", _("Confirm delivery")
    RECONCILE_COD = "reconcile_cod", _("Reconcile cash on delivery")
    CLOSE_ORDER = "close_order", _("Close orders")
    HOLD_ORDER = "hold_order", _("Hold and resume orders")
    CANCEL_ORDER = "cancel_order", _("Cancel orders")
    MANAGE_CUSTOMERS = "manage_customers", _("Create and edit customers")
    MANAGE_PRODUCTS = "manage_products", _("Create and edit products")
    MANAGE_STOCK = "manage_stock", _("Adjust stock")
    LOG_COMMUNICATION = "log_communication", _("Log customer communications")
    IMPORT_ORDERS = "import_orders", _("Import orders from Excel")
    EXPORT_DATA = "export_data", _("Export data")
    MANAGE_USERS = "manage_users", _("Manage users and roles")


class Role(models.TextChoices):
    SALESPERSON = "salesperson", _("Salesperson")
    MERCHANDISER = "merchandiser", _("Merchandiser")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    FINANCE = "finance", _("Finance")
    CASHIER = "cashier", _("Cashier")
    PRODUCTION = "production", _("Production")
    WAREHOUSE = "warehouse", _("Warehouse keeper")
    PURCHASER = "purchaser", _("Purchaser")
    QC = "qc", _("QC inspector")
    DRIVER = "driver", _("Driver")
    REGIONAL_MANAGER = "regional_manager", _("Regional manager")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    ADMIN = "admin", _("Administrator")


P = Perm
ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.SALESPERSON: frozenset(
        {
            P.VIEW_PRICES,
            P.ENTER_ORDER,
            P.AMEND_ORDER,
            P.REQUEST_PAYMENT,
            P.MANAGE_CUSTOMERS,
            P.LOG_COMMUNICATION,
            P.EXPORT_DATA,
        }
    ),
    Role.MERCHANDISER: frozenset(
        {
            P.VIEW_ALL,
            P.VIEW_PRICES,
            P.ENTER_ORDER,
            P.AMEND_ORDER,
            P.REQUEST_PAYMENT,
            P.RELEASE_ORDER,
            P.ISSUE_SHIPPING_NOTICE,
            P.ISSUE_DELIVERY_NOTE,
            P.CONFIRM_DELIVERY,
            P.CLOSE_ORDER,
            P.HOLD_ORDER,
            P.CANCEL_ORDER,
            P.MANAGE_CUSTOMERS,
            P.MANAGE_PRODUCTS,
            P.LOG_COMMUNICATION,
            P.IMPORT_ORDERS,
            P.EXPORT_DATA,
        }
    ),
    Role.SALES_MANAGER: frozenset(
        {
            P.VIEW_ALL,
            P.VIEW_PRICES,
            P.SIGN_AS_MANAGER,
            P.HOLD_ORDER,
            P.CANCEL_ORDER,
            P.MANAGE_CUSTOMERS,
            P.LOG_COMMUNICATION,
            P.EXPORT_DATA,
        }
    ),
    Role.FINANCE: frozenset(
        {
            P.VIEW_ALL,
            P.VIEW_PRICES,
            P.SIGN_AS_FINANCE,
            P.REQUEST_PAYMENT,
            P.CONFIRM_PAYMENT,
            P.ALLOW_CREDIT,
            P.ISSUE_OUTBOUND_SLIP,
            P.CLOSE_ORDER,
            P.EXPORT_DATA,
        }
    ),
    Role.CASHIER: frozenset({P.VIEW_ALL, P.VIEW_PRICES, P.RECONCILE_COD}),
    Role.PRODUCTION: frozenset({P.VIEW_ALL, P.RECORD_PRODUCTION}),
    Role.WAREHOUSE: frozenset(
        {
            P.VIEW_ALL,
            P.MANAGE_STOCK,
            P.ISSUE_DELIVERY_NOTE,
            P.SHIP_GOODS,
            P.CONFIRM_DELIVERY,
        }
    ),
    Role.PURCHASER: frozenset({P.VIEW_ALL}),
    Role.QC: frozenset({P.VIEW_ALL}),
    Role.DRIVER: frozenset({P.VIEW_ALL, P.CONFIRM_DELIVERY}),
    Role.REGIONAL_MANAGER: frozenset({P.VIEW_ALL, P.VIEW_PRICES, P.EXPORT_DATA}),
    Role.CUSTOMER_SERVICE: frozenset(
        {
            P.VIEW_ALL,
            P.VIEW_PRICES,
            P.LOG_COMMUNICATION,
        }
    ),
    Role.ADMIN: frozenset(Perm.values),
}
