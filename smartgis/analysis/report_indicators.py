"""The indicator table (指标对照表) section of the check report, from plain values
(:func:`smartgis.indicators.report.report_table`): per indicator its weight, 现状 and the
value and score of each phase, with the totals and maturity level by stage."""

from __future__ import annotations

from html import escape

from smartgis.i18n import _, localize

#: The table's words, as messages (Chinese in ``messages/reports.json``).
HEAD = (_("Indicator"), _("Unit"), _("Weight"), _("Score"))
TOTAL = _("Total / level")
MAP = _(" (measured on the map)")


def _num(v) -> str:
    if v is None:
        return "—"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def indicators_html(table: dict, lang: str = "zh") -> str:
    """The section as HTML (the subset ``QTextDocument`` lays out, so the PDF uses it too)."""
    name, unit, weight, score = (localize(w, lang) for w in HEAD)
    stages = table["stages"]
    last = len(stages) - 1
    out = [f"<h2>{escape(table['title'])}</h2>",
           f"<p>{escape(table['edition'])} {escape(table['name'])}</p>",
           "<p class='notes'><span class='ref'>†</span> " + escape(table["reference"]) + "</p>",
           "<table class='rules' border='0' cellspacing='0' cellpadding='3'><tr>"
           f"<th>{escape(name)}</th><th>{escape(unit)}</th><th>{escape(weight)}</th>"
           + "".join(f"<th>{escape(st)}</th>" for st in stages)
           + f"<th>{escape(score)} ({escape(stages[0])})</th><th>{escape(score)} ({escape(stages[last])})</th></tr>"]
    domain = None
    for r in table["rows"]:
        if r["level1"] != domain:
            domain = r["level1"]
            out.append(f"<tr><td colspan='{5 + len(stages)}'><b>{escape(domain)}</b></td></tr>")
        ref = "" if r["verified"] else " <span class='ref'>†</span>"
        how = escape(localize(MAP, lang)) if r["derived"] else ""
        label = r["name"] if r["level2"] == r["name"] else f"{r['level2']} · {r['name']}"
        out.append(f"<tr><td>{escape(label)}{ref}{how}</td><td>{escape(r['unit'])}</td>"
                   f"<td class='num'>{_num(r['weight'])}</td>"
                   + "".join(f"<td class='num'>{_num(v)}</td>" for v in r["values"])
                   + f"<td class='num'>{_num(r['scores'][0])}</td><td class='num'>{_num(r['scores'][last])}</td></tr>")
    out.append(f"<tr><td colspan='3'><b>{escape(localize(TOTAL, lang))}</b></td>"
               + "".join(f"<td class='num'><b>{_num(t)}</b> {escape(lv)}</td>"
                         for t, lv in zip(table["totals"], table["levels"]))
               + f"<td class='num'>{_num(table['totals'][0])} / {_num(table['max_score'])}</td>"
               f"<td class='num'>{_num(table['totals'][last])} / {_num(table['max_score'])}</td></tr></table>")
    return "\n".join(out)
