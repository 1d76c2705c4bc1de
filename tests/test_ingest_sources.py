"""Reading articles from files: each format, the problems of bad files, lines and items, hostile
inputs at small size, and no network (trafilatura and feedparser are handed bytes, never a URL)."""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geodata.errors import Problem
from geodata.extract import corpus
from geodata.ingest import sources, web
from geodata.ingest.sources import Found, list_files, read_data, read_source

REPORT = (
    "About 18 rockets struck Camp Taji north of Baghdad on Wednesday, killing two American soldiers "
    "and a British medic, officials said. The attack was the deadliest on the coalition in years."
)
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Rockets hit Camp Taji | The Wire</title>
<meta property="og:site_name" content="The Wire">
<meta property="article:published_time" content="2020-03-12T10:00:00Z">
<link rel="canonical" href="https://example.org/world/taji-rockets">
<link rel="stylesheet" href="https://cdn.example.org/site.css">
<script src="https://cdn.example.org/tracker.js"></script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li>Subscribe now</li></ul></nav>
<article>
<h1>Rockets hit Camp Taji</h1>
<p>{REPORT}</p>
<p>Iraqi forces later found the launcher in a truck parked nearby, a military statement said.</p>
<img src="https://img.example.org/taji.jpg" alt="Camp Taji">
</article>
<aside>Most read: Ten recipes for the summer</aside>
<footer>Copyright The Wire. Cookie policy. Sign up for our newsletter.</footer>
</body></html>
"""
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>The Wire: World</title><link>https://example.org/</link><description>News</description>
<item>
  <title>Rockets hit Camp Taji</title>
  <link>https://example.org/world/taji-rockets</link>
  <pubDate>Thu, 12 Mar 2020 10:00:00 GMT</pubDate>
  <description>Short summary.</description>
  <content:encoded><![CDATA[<p>About 18 rockets struck <b>Camp Taji</b> on Wednesday.</p>
<p>Two soldiers were killed.</p>]]></content:encoded>
</item>
<item>
  <title>Patriot battery for Erbil</title>
  <link>https://example.org/world/erbil-patriot</link>
  <pubDate>Thu, 02 Apr 2020 08:30:00 +0000</pubDate>
  <description>A Patriot battery was shipped to Erbil &amp; installed last week.</description>
</item>
</channel></rss>
"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Gulf Desk</title><id>urn:gulf</id><updated>2020-04-03T00:00:00Z</updated>
<entry>
  <title>Centcom on air defences</title><id>urn:gulf:1</id>
  <link href="https://example.org/gulf/centcom"/>
  <published>2020-04-02T12:00:00Z</published><updated>2020-04-03T09:00:00Z</updated>
  <content type="html">&lt;p&gt;The US military said on Thursday it was building up air defences
in Iraq.&lt;/p&gt;</content>
</entry>
<entry>
  <title>Mosul handover</title><id>urn:gulf:2</id>
  <link href="https://example.org/gulf/mosul"/>
  <updated>2020-03-31T07:00:00Z</updated>
  <summary>Coalition forces handed over a base in Mosul on Monday.</summary>
</entry>
</feed>
"""


def read(path: Path) -> tuple[list[Found], list[Problem]]:
    items = list(read_source(path))
    return [i for i in items if isinstance(i, Found)], [i for i in items if isinstance(i, Problem)]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every connection or name lookup tried, local or not (each also fails)."""
    tried: list[Any] = []

    def tripwire(*args: Any, **kwargs: Any) -> Any:
        tried.append(args)
        raise OSError("a network call in a test of offline reading")

    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, tripwire)
    monkeypatch.setattr(socket.socket, "connect", tripwire)
    yield tried


# --- each format --------------------------------------------------------------------------


def test_markdown_with_front_matter(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.md",
        f"---\ntitle: Rockets hit Taji\npublisher: The Wire\npublished: 2020-03-12\n"
        f"url: https://example.org/t\n---\n{REPORT}\n",
    )
    (found,), problems = read(path)
    assert problems == []
    assert found.path == str(path) and found.line is None
    article = found.article
    assert (article.title, article.publisher, article.published, article.url) == (
        "Rockets hit Taji",
        "The Wire",
        dt.date(2020, 3, 12),
        "https://example.org/t",
    )
    assert article.text.strip() == REPORT


def test_text_without_a_date_is_a_problem_that_says_what_to_add(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", REPORT)
    found, (problem,) = read(path)
    assert found == []
    assert (problem.path, problem.field) == (str(path), "published")
    assert "published: YYYY-MM-DD" in problem.message


def test_html_page_main_text_and_metadata_without_boilerplate(tmp_path: Path, attempts: list[Any]) -> None:
    (found,), problems = read(write(tmp_path, "page.html", PAGE))
    assert problems == []
    article = found.article
    assert "About 18 rockets struck Camp Taji" in article.text
    assert "found the launcher" in article.text
    for boilerplate in ("Subscribe", "Cookie", "recipes", "Home"):
        assert boilerplate not in article.text
    assert article.title == "Rockets hit Camp Taji"
    assert article.publisher == "The Wire"
    assert article.url == "https://example.org/world/taji-rockets"
    assert article.published == dt.date(2020, 3, 12)
    assert attempts == []


def test_html_date_is_read_from_markup_not_from_the_text(tmp_path: Path) -> None:
    page = PAGE.replace('<meta property="article:published_time" content="2020-03-12T10:00:00Z">', "")
    page = page.replace("<p>Iraqi", "<p>On 3 January 2020 a drone struck Baghdad airport. Iraqi")
    found, (problem,) = read(write(tmp_path, "page.htm", page))
    assert found == [] and problem.field == "published"
    assert "<meta>" in problem.message


def test_rss_items_become_articles(tmp_path: Path, attempts: list[Any]) -> None:
    (one, two), problems = read(write(tmp_path, "feed.rss", RSS))
    assert problems == []
    assert [f.item for f in (one, two)] == [1, 2]
    assert one.article.text == "About 18 rockets struck Camp Taji on Wednesday.\n\nTwo soldiers were killed."
    assert (one.article.title, one.article.publisher) == ("Rockets hit Camp Taji", "The Wire: World")
    assert one.article.url == "https://example.org/world/taji-rockets"
    assert one.article.published == dt.date(2020, 3, 12)
    assert two.article.text == "A Patriot battery was shipped to Erbil & installed last week."
    assert two.article.published == dt.date(2020, 4, 2)
    assert attempts == []


def test_atom_entries_become_articles(tmp_path: Path) -> None:
    (one, two), problems = read(write(tmp_path, "gulf.atom", ATOM))
    assert problems == []
    assert one.article.text == "The US military said on Thursday it was building up air defences in Iraq."
    assert one.article.published == dt.date(2020, 4, 2)  # published, not updated
    assert two.article.published == dt.date(2020, 3, 31)  # no published: updated
    assert two.article.text == "Coalition forces handed over a base in Mosul on Monday."
    assert {f.article.publisher for f in (one, two)} == {"Gulf Desk"}
    assert two.article.url == "https://example.org/gulf/mosul"


def test_an_xml_file_is_read_as_a_feed_and_must_be_one(tmp_path: Path) -> None:
    found, problems = read(write(tmp_path, "feed.xml", RSS))
    assert len(found) == 2 and problems == []
    found, (problem,) = read(write(tmp_path, "sitemap.xml", "<urlset><url><loc>x</loc></url></urlset>"))
    assert found == [] and "not an RSS or Atom feed" in problem.message


def test_a_feed_item_without_a_date_is_a_problem_naming_the_item(tmp_path: Path) -> None:
    feed = RSS.replace("<pubDate>Thu, 02 Apr 2020 08:30:00 +0000</pubDate>", "")
    (one,), (problem,) = read(write(tmp_path, "feed.rss", feed))
    assert one.item == 1
    assert (problem.path, problem.field) == (str(tmp_path / "feed.rss"), "published")
    assert problem.message.startswith("item 2: no publication date")


def test_json_lines_with_bad_lines_in_the_middle(tmp_path: Path) -> None:
    lines = [
        '{"id": "a", "title": "Taji", "url": "https://example.org/a", "publisher": "Wire", '
        f'"published": "2020-03-12", "text": "{REPORT}"}}',
        '{"id": "b", "text": "no closing brace"',
        '{"id": "c", "title": 5, "published": "2020-03-12", "text": "Rockets hit Erbil."}',
        "",
        '{"id": "d", "published": "12 March", "text": "Rockets hit Erbil."}',
        '{"id": "e", "published": "2020-04-02T09:00:00Z", "text": "Another was shipped to Erbil.\\nMore."}',
    ]
    path = write(tmp_path, "wire.jsonl", "\n".join(lines) + "\n")
    found, problems = read(path)
    assert [(f.line, f.article.title) for f in found] == [(1, "Taji"), (6, "Another was shipped to Erbil.")]
    assert found[0].article.url == "https://example.org/a" and found[0].article.publisher == "Wire"
    assert found[1].article.published == dt.date(2020, 4, 2)
    assert found[1].article.publisher == "unknown publisher" and found[1].article.url is None
    assert [(p.line, p.field) for p in problems] == [(2, None), (3, "title"), (5, "published")]
    assert "not a JSON object" in problems[0].message
    assert "'title' is 5, not text" in problems[1].message


# --- files and folders --------------------------------------------------------------------


def test_folders_are_read_recursively_sorted_each_file_once(tmp_path: Path) -> None:
    for name in ("b/2.md", "b/1.txt", "a.html", "c/d/feed.rss", ".hidden/x.md", "b/.x.md", "b/img.png"):
        write(tmp_path, name, "x")
    files, problems = list_files([tmp_path, tmp_path / "b" / "1.txt", tmp_path / "gone.md"])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "a.html",
        "b/1.txt",
        "b/2.md",
        "c/d/feed.rss",
    ]
    assert [(p.path, p.message) for p in problems] == [
        (str(tmp_path / "gone.md"), "no such file or folder; check the path")
    ]


def test_a_named_file_of_unknown_type_is_a_problem(tmp_path: Path) -> None:
    files, (problem,) = list_files([write(tmp_path, "photo.png", b"\x89PNG")])
    assert files == [] and "unknown type '.png'" in problem.message


# --- hostile inputs (small) -----------------------------------------------------------------


def test_binary_junk_named_html_is_a_problem(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 40
    found, (problem,) = read(write(tmp_path, "junk.html", junk))
    assert found == [] and problem.path == str(tmp_path / "junk.html")


def test_binary_junk_named_rss_and_md_are_problems(tmp_path: Path) -> None:
    junk = b"\x00\xff\xfe" * 1000
    assert [type(x) for x in read_source(write(tmp_path, "junk.rss", junk))] == [Problem]
    (problem,) = list(read_source(write(tmp_path, "junk.md", junk)))
    assert isinstance(problem, Problem) and "not UTF-8" in problem.message


def test_a_feed_with_an_entity_bomb_is_read_without_expanding_it(tmp_path: Path) -> None:
    levels = ['<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">']
    levels += [f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    bomb = RSS.replace('<?xml version="1.0" encoding="utf-8"?>', "")
    bomb = (
        "<!DOCTYPE rss [\n"
        + "\n".join(levels)
        + '\n<!ENTITY ext SYSTEM "https://example.org/x">\n]>\n'
        + bomb
    )
    bomb = bomb.replace("Short summary.", "&i; &ext;").replace("installed last week.", "installed &i;")
    started = time.monotonic()
    found, problems = read(write(tmp_path, "bomb.rss", bomb))
    assert time.monotonic() - started < 30  # 10^8 characters if expanded
    assert problems == [] and len(found) == 2
    assert all(len(f.article.text) < 1000 for f in found)


def test_files_beyond_the_cap_are_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 2_000)
    for name, content in (("big.rss", RSS * 3), ("big.html", PAGE * 2), ("big.md", "x" * 3_000)):
        found, (problem,) = read(write(tmp_path, name, content))
        assert found == [] and "larger than" in problem.message, name
    # read_data (uploads) checks the same cap
    assert [type(x) for x in read_data("big.html", PAGE.encode() * 2)] == [Problem]


def test_a_huge_feed_item_is_a_problem_and_the_others_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_CHARS", 100)
    feed = RSS.replace("<p>Two soldiers were killed.</p>", "<p>Two soldiers were killed.</p>" * 10)
    (two,), (problem,) = read(write(tmp_path, "feed.rss", feed))
    assert two.item == 2
    assert problem.message.startswith("item 1: ") and problem.field == "text"


def test_an_overlong_json_line_is_a_problem_and_the_next_lines_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus, "MAX_LINE_BYTES", 100)
    good = '{"published": "2020-03-12", "text": "Rockets hit Erbil."}'
    long = '{"published": "2020-03-12", "text": "' + "x" * 450 + '"}'
    (one, two), (problem,) = read(write(tmp_path, "w.jsonl", "\n".join([good, long, good + " ", ""])))
    assert (one.line, two.line, problem.line) == (1, 3, 2)
    assert "longer than 100 bytes" in problem.message


def test_a_feed_is_never_fetched_nor_opened_by_its_content(tmp_path: Path, attempts: list[Any]) -> None:
    """feedparser handed a string fetches it when it looks like a URL, and opens it when it is
    a file's name: a feed file holding either is read as what it is, not a feed."""
    real = write(tmp_path, "real.rss", RSS)
    for name, content in (("url.rss", "https://example.org/feed.rss"), ("path.xml", str(real))):
        found, (problem,) = read(write(tmp_path, name, content))
        assert found == [] and "not an RSS or Atom feed" in problem.message
    assert attempts == []


def test_plain_text_of_feed_html_keeps_paragraphs() -> None:
    html = "<h2>Title</h2><p>One  sentence.<br>Next\tline.</p><ul><li>a</li><li>b</li></ul>tail\x00"
    assert web.plain_text(html) == "Title\n\nOne sentence.\nNext line.\n\na\n\nb\n\ntail"
    assert web.plain_text("  ") == ""
