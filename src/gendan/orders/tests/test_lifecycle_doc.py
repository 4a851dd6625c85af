"""docs/lifecycle.md says what the code declares (regenerate with `gendan lifecycle`)."""

from gendan.orders.lifecycle_doc import render
from gendan.orders.management.commands.lifecycle import doc_path


def test_the_lifecycle_document_is_current():
    assert doc_path().read_text(encoding="utf-8") == render(frozenset({"testapp"}))


def test_the_document_lists_a_contributed_condition_with_its_app():
    text = render()
    assert (
        "| `release` | `testapp.inspection_passed` | The test inspection has passed. | testapp |"
        in text
    )
    assert "| `release` | `orders.deposit_received` | The deposit has arrived. | orders |" in text
