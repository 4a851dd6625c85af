"""The order entry page's forms: they only parse what was typed; the rules stay in the services.

`create_order` and `amend_order` check every field and raise one DomainError whose
`details["fields"]` names each problem (`customer`, `lines[2].quantity`, ...);
`place_errors` puts each message back at the field it belongs to.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.orders import inputs
from gendan.orders.entry import LineInput
from gendan.orders.models import Incoterm
from gendan.parties.models import Channel

LINE_PREFIX = "lines"
LINE_FIELDS = (
    "product",
    "quantity",
    "unit_price",
    "colour",
    "size",
    "packs",
    "special_material",
    "packing_requirement",
)
#: the header fields `amend_order` accepts (services.HEADER_FIELDS)
AMENDABLE_FIELDS = (
    "contract_date",
    "delivery_date",
    "currency",
    "incoterm",
    "customer_po",
    "notes",
)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(
        attrs={
            "type": "date",
            "min": inputs.FIRST_DATE.isoformat(),
            "max": inputs.LAST_DATE.isoformat(),
        },
        format="%Y-%m-%d",
    )


def _order_date(label: Any) -> forms.DateField:
    """A contract or delivery date (the range every entry path accepts is the service's rule,
    entry.check_dates; the widget offers the same range)."""
    return forms.DateField(label=label, required=False, widget=_date_widget())


class OrderForm(forms.Form):
    """The header. Dates and people are optional here: the service says what is missing."""

    customer = forms.ChoiceField(label=_("Customer"), required=False)
    contract_date = _order_date(_("Contract date"))
    delivery_date = _order_date(_("Delivery date"))
    salesperson = forms.ChoiceField(label=_("Salesperson"), required=False)
    merchandiser = forms.ChoiceField(label=_("Merchandiser"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("The customer's")), *Channel.choices],
    )
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"placeholder": _("The customer's"), "size": 4}),
    )
    incoterm = forms.ChoiceField(
        label=_("Incoterm"), required=False, choices=[("", "—"), *Incoterm.choices]
    )
    customer_po = forms.CharField(
        label=_("Customer PO"), required=False, max_length=inputs.MAX_CUSTOMER_PO
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=inputs.MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    submit = forms.BooleanField(label=_("Submit for sign-off when saved"), required=False)

    def __init__(
        self,
        *args: Any,
        customers: list[tuple[str, str]],
        people: dict[str, list[tuple[str, str]]],
        amending: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [("", "—"), *((c, f"{c} {n}") for c, n in customers)]
        self.fields["salesperson"].choices = [("", _("The customer's")), *people["salesperson"]]
        self.fields["merchandiser"].choices = [("", "—"), *people["merchandiser"]]
        self.amending = amending
        if amending:  # who and for whom an order is stays; an amendment is its dates and terms
            for name in list(self.fields):
                if name not in AMENDABLE_FIELDS:
                    del self.fields[name]
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the amendment"),
                required=False,
                max_length=inputs.MAX_REASON,
                widget=forms.TextInput(attrs={"maxlength": inputs.MAX_REASON}),
            )

    def create_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of services.create_order (blank = the service's default)."""
        d = self.cleaned_data
        return {
            "customer": d.get("customer") or "",
            "contract_date": d.get("contract_date"),
            "delivery_date": d.get("delivery_date"),
            "salesperson": d.get("salesperson") or None,
            "merchandiser": d.get("merchandiser") or None,
            "channel": d.get("channel") or None,
            "currency": (d.get("currency") or "").strip().upper() or None,
            "incoterm": d.get("incoterm") or "",
            "customer_po": d.get("customer_po") or "",
            "notes": d.get("notes") or "",
            "submit": bool(d.get("submit")),
        }

    def changes(self) -> dict[str, Any]:
        """The header of services.amend_order: every amendable field as typed (None = keep)."""
        d = self.cleaned_data
        out = {name: d.get(name) for name in AMENDABLE_FIELDS}
        out["currency"] = (out["currency"] or "").strip().upper() or None
        for name in ("incoterm", "customer_po", "notes"):
            out[name] = out[name] or ""
        return out


class LineForm(forms.Form):
    product = forms.CharField(
        label=_("Product"),
        required=False,
        max_length=inputs.MAX_CODE,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "product-code"}),
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "qty", "step": "1", "inputmode": "numeric"}),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        required=False,
        max_digits=inputs.PRICE_DIGITS,
        decimal_places=inputs.PRICE_PLACES,
        widget=forms.NumberInput(attrs={"class": "price", "step": "any", "inputmode": "decimal"}),
    )
    colour = forms.CharField(label=_("Colour"), required=False, max_length=inputs.MAX_COLOUR)
    size = forms.CharField(label=_("Size"), required=False, max_length=inputs.MAX_SIZE)
    packs = forms.IntegerField(
        label=_("Packs"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "1", "inputmode": "numeric"}),
    )
    special_material = forms.CharField(
        label=_("Special raw-material requirement"),
        required=False,
        max_length=inputs.MAX_REQUIREMENT,
    )
    packing_requirement = forms.CharField(
        label=_("Packing requirement"), required=False, max_length=inputs.MAX_REQUIREMENT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.urls import reverse

        # as you type, htmx fills this row's <datalist> with the matching products
        options = f"{self.prefix}-options"
        self.fields["product"].widget.attrs.update(
            {
                "list": options,
                "hx-get": reverse("web:product_lookup"),
                "hx-trigger": "input changed delay:250ms, focus once",
                "hx-target": f"#{options}",
                "hx-swap": "innerHTML",
                "hx-vals": f'{{"list": "{options}"}}',
                "hx-sync": "this:replace",
            }
        )

    @property
    def options_id(self) -> str:
        return f"{self.prefix}-options"

    def line_input(self) -> LineInput:
        d = self.cleaned_data
        quantity = d.get("quantity")
        price = d.get("unit_price")
        return LineInput(
            product=(d.get("product") or "").strip(),
            # None reaches the service, which names the field: "must be a whole number ..."
            quantity=quantity if quantity is not None else "",  # type: ignore[arg-type]
            unit_price=price if price is not None else "",  # type: ignore[arg-type]
            colour=d.get("colour") or "",
            size=d.get("size") or "",
            packs=d.get("packs") or 0,
            special_material=d.get("special_material") or "",
            packing_requirement=d.get("packing_requirement") or "",
        )


class BaseLineFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[LineForm]:
        """The rows that are lines: neither removed nor left blank, in the order shown."""
        kept = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.empty_permitted and not form.has_changed():
                continue
            kept.append(form)
        return kept

    def lines_changed(self) -> bool:
        return any(f.has_changed() for f in self.forms) or bool(self.deleted_forms)


LineFormSet = forms.formset_factory(
    LineForm, formset=BaseLineFormSet, extra=0, can_delete=True, max_num=500, absolute_max=500
)


def line_formset(data: Any = None, *, initial: list[dict[str, Any]] | None = None) -> Any:
    return LineFormSet(data, initial=initial, prefix=LINE_PREFIX)


def empty_line_form(index: int) -> LineForm:
    """One blank row at position `index` of the formset (the htmx "add line")."""
    formset = line_formset()
    form = formset._construct_form(index, empty_permitted=True, use_required_attribute=False)
    return form


def place_errors(
    exc_fields: dict[str, str], header: OrderForm, formset: Any, kept: list[LineForm]
) -> list[str]:
    """Put each service error at its field; what has no field comes back for the page's top.

    `lines[i]` counts from 1 over the lines sent to the service, that is over `kept`."""
    loose: list[str] = []
    for where, message in exc_fields.items():
        if where.startswith("lines[") and "]" in where:
            number, _sep, name = where[len("lines[") :].partition("]")
            name = name.lstrip(".")
            try:
                form = kept[int(number) - 1]
            except (ValueError, IndexError):
                loose.append(message)
                continue
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, message)
        elif where == "lines":
            formset._non_form_errors = formset.error_class(
                [*formset.non_form_errors(), message], error_class="nonform"
            )
        elif where in header.fields:
            header.add_error(where, message)
        else:
            loose.append(message)
    return loose
