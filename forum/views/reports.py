"""The annual report for the strategy meeting: a printable page and its PDF, for the secretariat."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation

from forum.charts import chart_svg
from forum.rules.fiscal_year import fiscal_year_choice_label
from forum.selectors.annual_report import annual_report, annual_report_years
from forum.selectors.roles import user_is_secretariat

LANGUAGES = ("ja", "en")


def _secretariat(request) -> None:
    if not user_is_secretariat(request.user):
        raise Http404


def _year(year: int) -> int:
    if year not in annual_report_years():
        raise Http404
    return year


def _language(request) -> str:
    """?lang= when given, else the visitor's own language (the report is Japanese first)."""
    current = "en" if (translation.get_language() or "ja").startswith("en") else "ja"
    language = request.GET.get("lang", current)
    return language if language in LANGUAGES else "ja"


def _context(year: int, *, pdf: bool, language: str) -> dict:
    report = annual_report(year=year)
    charts = []
    for key in ("activity", "implementation_rate", "median_days"):
        table = report.year_table(key)
        charts.append((table, chart_svg(table.chart, title=table.title)))
    return {
        "report": report,
        "charts": charts,
        "pdf": pdf,
        "language": language,
        "years": [(y, fiscal_year_choice_label(y, language)) for y in annual_report_years()],
    }


@login_required
def annual_report_index(request):
    """The choice of year; the latest one by default."""
    _secretariat(request)
    years = annual_report_years()
    try:
        year = int(request.GET.get("year", years[0]))
    except ValueError:
        year = years[0]
    return redirect("forum:annual_report_year", year=year if year in years else years[0])


@login_required
def annual_report_page(request, year: int):
    """The report as a page to read and print."""
    _secretariat(request)
    language = _language(request)
    with translation.override(language):
        response = render(
            request,
            "forum/annual_report.html",
            _context(_year(year), pdf=False, language=language),
        )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def annual_report_pdf(request, year: int):
    """The same report as a PDF (WeasyPrint; the charts are inline SVG, no JavaScript)."""
    _secretariat(request)
    # Imported here: WeasyPrint loads its fonts and libraries, which only this view needs.
    from weasyprint import HTML

    language = _language(request)
    with translation.override(language):
        html = render_to_string(
            "forum/annual_report.html",
            _context(_year(year), pdf=True, language=language),
            request=request,
        )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "" if language == "ja" else f"-{language}"
    response["Content-Disposition"] = f'inline; filename="annual-report-fy{year}{suffix}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
