"""axe-core in the browser tests: ``assert_accessible(page)`` runs the vendored axe (tests/e2e/vendor,
MPL-2.0, no CDN) against WCAG 2.0/2.1/2.2 A and AA and fails on any serious or critical violation, naming
the rule and the first elements that break it. Only the violations are asked for (``resultTypes``: axe then
skips the details of what passed), and a test that checks many pages loads axe once for its browser context
(``load_axe_on_every_page``) instead of sending its half megabyte to each page."""

from pathlib import Path

AXE_SOURCE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")

_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


def load_axe_on_every_page(context) -> None:
    """axe in every page the context opens from now on, evaluated by the browser as the page starts."""
    context.add_init_script(AXE_SOURCE)


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE)
    return page.evaluate(_RUN, WCAG_TAGS)


def assert_accessible(page, where: str = "", *, any_impact: bool = False) -> None:
    """No serious or critical violation (``any_impact``: no violation at all, minor and moderate too)."""
    blocking = [v for v in axe_violations(page) if any_impact or v["impact"] in BLOCKING]
    assert not blocking, f"axe found serious or critical violations on {where or page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}: {v['help']}) at {', '.join(v['nodes'])}" for v in blocking
    )
