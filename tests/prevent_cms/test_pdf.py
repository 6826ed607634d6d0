"""One PDF renderer, one locked WeasyPrint fetcher: own static files only, nothing else."""

import ast
import io

import pytest
from pypdf import PdfReader

from prevent_cms.pdf import BASE_URL, LockedFetcher, RefusedFetch, render_pdf

from .source_tree import ROOT, project_files


def project_modules():
    for path in project_files():
        yield path, ast.parse(path.read_text(), filename=str(path))


def base_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_there_is_exactly_one_weasyprint_url_fetcher():
    fetchers = [
        f"{path.relative_to(ROOT)}:{node.name}"
        for path, tree in project_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(base_name(base) == "URLFetcher" for base in node.bases)
    ]
    assert fetchers == ["prevent_cms/pdf.py:LockedFetcher"]


def test_only_prevent_cms_pdf_talks_to_weasyprint():
    """Anything else importing WeasyPrint could hand it another (or no) fetcher."""
    importers = set()
    for path, tree in project_modules():
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name.split(".")[0] == "weasyprint" for name in names):
                importers.add(str(path.relative_to(ROOT)))
    assert importers == {"prevent_cms/pdf.py"}


def test_fetcher_refuses_local_files_and_urls():
    fetcher = LockedFetcher()
    html = (
        '<p>x</p><img src="file:///etc/passwd"><img src="http://example.com/a.png">'
        '<link rel="stylesheet" href="file:///etc/hostname">'
    )
    pdf = render_pdf(html=html, fetcher=fetcher)
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://example.com/a.png" in fetcher.refused
    assert "root:" not in text_of(pdf.content)


def test_fetcher_serves_own_static_files():
    fetcher = LockedFetcher()
    response = fetcher.fetch(f"{BASE_URL}static/css/app.css")
    assert response.status == 200


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/x.png",
        "file:///etc/passwd",
        f"{BASE_URL}static/../x",
        "http://127.0.0.1/static/css/app.css",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_pdf_fetcher_refuses_anything_but_static(url):
    with pytest.raises(ValueError, match="static"):
        LockedFetcher().fetch(url)


def test_a_self_contained_document_fetches_not_even_static_files():
    fetcher = LockedFetcher(static=False)
    with pytest.raises(RefusedFetch, match="fetches nothing"):
        fetcher.fetch(f"{BASE_URL}static/css/app.css")
    assert fetcher.refused == [f"{BASE_URL}static/css/app.css"]


def test_render_pdf_counts_pages_and_takes_a_template_or_html():
    pdf = render_pdf(html="<p>one</p><p style='page-break-before: always'>two</p>")
    assert pdf.content.startswith(b"%PDF")
    assert pdf.pages == 2
    assert "two" in text_of(pdf.content)
    with pytest.raises(TypeError):
        render_pdf("reports/compliance_pdf.html", html="<p>both</p>")
