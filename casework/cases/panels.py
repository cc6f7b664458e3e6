"""Panels that apps above ``cases`` add to the case page, registered at start-up.

The case page belongs to ``cases``, but some of what it shows belongs to apps above it (the
priority panel from ``priorities``; referrals and reviews later). ``cases`` cannot import
them, so each registers its panel's template here in its ``AppConfig.ready``, and the case
page includes every registered panel in order. A panel template gets the case page's
context: ``case``, ``can_write``, ``flags``, ``deadlines`` and the request.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CasePanel:
    template: str
    order: int


_PANELS: dict[str, CasePanel] = {}


def case_panel_register(template: str, *, order: int) -> None:
    """Add a panel to the case page (idempotent: ``ready`` may run more than once in tests)."""
    _PANELS[template] = CasePanel(template, order)


def case_panels() -> list[str]:
    """The registered panel templates, in page order."""
    return [panel.template for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.template))]
