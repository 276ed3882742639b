"""HTML pages, rendered on the server: home, search, article, person, office, quote, timeline, docs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsgraph import query
from newsgraph.store import curation
from newsgraph.web.deps import store as _store
from newsgraph.web.highlight import highlight, speaker_classes
from newsgraph.web.params import MAX_TEXT, PAGE_SIZE, Day, PageNumber, Text, day, month
from newsgraph.web.security import check_token
from newsgraph.web.templating import render

router = APIRouter(include_in_schema=True, tags=["pages"], default_response_class=HTMLResponse)


def _link(path: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(kept) if kept else "")


@router.get("/", summary="Home page")
def home(request: Request) -> HTMLResponse:
    """Search box, corpus figures and the latest quotes."""
    store = _store(request)
    return render(
        request,
        "home.html",
        stats=query.stats(store),
        latest=query.quotes(store, limit=10),
        recent=query.article_list(store, limit=8).items,
    )


@router.get("/search", summary="Search page")
def search(
    request: Request,
    q: Text = "",
    speaker: Annotated[str | None, Query(max_length=64)] = None,
    source: Text = None,
    month_: Annotated[str | None, Query(alias="month", max_length=7)] = None,
    page: PageNumber = 1,
) -> HTMLResponse:
    """Quotes with speaker, title at the time, date and source; facets by speaker, source, month."""
    picked = month(month_)
    result = query.search(
        _store(request),
        q or "",
        speaker=speaker,
        source=source,
        month=picked,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    params = {"q": result.q, "speaker": speaker, "source": source, "month": picked}

    def facet_link(name: str, value: str | None) -> str:
        return _link("/search", **{**params, name: value})

    pages = max(1, -(-result.total // PAGE_SIZE))
    return render(
        request,
        "search.html",
        q=result.q,
        result=result,
        params=params,
        facet_link=facet_link,
        page=page,
        pages=pages,
        prev_link=_link("/search", **params, page=page - 1) if page > 1 else None,
        next_link=_link("/search", **params, page=page + 1) if page < pages else None,
    )


@router.get("/article/{article_id:path}", summary="Article page")
def article(request: Request, article_id: Annotated[str, Path(max_length=128)]) -> HTMLResponse:
    """The text with quotes, cues, mentions, time expressions and role evidence marked; the facts beside."""
    view = query.article(_store(request), article_id)
    colours = speaker_classes(view)
    legend = []
    for quote in view.quotes:
        entry = (quote.speaker_id, quote.speaker or "unattributed", colours[quote.speaker_id])
        if entry not in legend:
            legend.append(entry)
    return render(request, "article.html", view=view, body=highlight(view), colours=colours, legend=legend)


@router.get("/person", summary="Find a person by name")
def find_person(request: Request, name: Annotated[str, Query(min_length=1, max_length=MAX_TEXT)]) -> Response:
    """Goes to the person a name means, or lists the people it may mean."""
    found = query.find_people(_store(request), name)
    if len(found) == 1:
        return RedirectResponse(f"/person/{found[0][0]}", status_code=303)
    return render(request, "people.html", status=404 if not found else 200, name=name, found=found)


@router.get("/person/{person_id}", summary="Person page")
def person(
    request: Request, person_id: Annotated[str, Path(max_length=64)], page: PageNumber = 1, done: Text = None
) -> Response:
    """Names and aliases, a drawn role timeline, quotes (paged), people mentioned with them."""
    store = _store(request)
    current = query.resolve_person(store, person_id)
    if current != person_id:
        return RedirectResponse(f"/person/{current}", status_code=301)
    view = query.person(store, current, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, -(-view.quote_count // PAGE_SIZE))
    return render(
        request,
        "person.html",
        view=view,
        chart=role_chart(view.roles),
        page=page,
        pages=pages,
        prev_link=_link(f"/person/{current}", page=page - 1) if page > 1 else None,
        next_link=_link(f"/person/{current}", page=page + 1) if page < pages else None,
        done=done,
    )


def _curate(
    request: Request, token: str, person_id: str, action: Callable[[], curation.CurationEntry]
) -> Response:
    """Runs a curation action once the form's token is checked, then goes back to the person."""
    check_token(request.app.state.token, token)
    entry = action()
    target = entry.target if entry.action == "merge" and entry.target else person_id
    return RedirectResponse(_link(f"/person/{target}", done=f"{entry.action} recorded (#{entry.id})"), 303)


PersonId = Annotated[str, Path(max_length=64)]
FormText = Annotated[str, Form(min_length=1, max_length=MAX_TEXT)]
Token = Annotated[str, Form(max_length=MAX_TEXT)]


@router.post("/person/{person_id}/merge", summary="Merge this person into another (form, token)")
def merge(
    request: Request, person_id: PersonId, into: FormText, reason: FormText, token: Token = ""
) -> Response:
    return _curate(
        request, token, person_id, lambda: curation.merge(_store(request), person_id, into, reason)
    )


@router.post("/person/{person_id}/split", summary="Split this person off in one article (form, token)")
def split(
    request: Request, person_id: PersonId, article_id: FormText, reason: FormText, token: Token = ""
) -> Response:
    return _curate(
        request, token, person_id, lambda: curation.split(_store(request), person_id, article_id, reason)
    )


@router.post("/person/{person_id}/reject", summary="Reject one of this person's facts (form, token)")
def reject(
    request: Request, person_id: PersonId, fact_key: FormText, reason: FormText, token: Token = ""
) -> Response:
    return _curate(request, token, person_id, lambda: curation.reject(_store(request), fact_key, reason))


@router.get("/office", summary="Office page")
def office(
    request: Request,
    title: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
    on: Day = None,
    country: Text = None,
    org: Text = None,
) -> HTMLResponse:
    """Holders of a title over time ("who was Press Secretary when"), or who held it on a day,
    optionally in one country or organisation."""
    when = day(on, "on")
    answer = (
        query.who(_store(request), title, on=when, country=country or None, org=org or None)
        if title
        else None
    )
    return render(
        request,
        "office.html",
        title=title or "",
        on=on or "",
        country=country or "",
        org=org or "",
        answer=answer,
        chart=role_chart(answer.holders, label=lambda s: s.person) if answer and answer.holders else None,
    )


@router.get("/quote/{quote_id}", summary="Quote page")
def quote(
    request: Request, quote_id: Annotated[str, Path(max_length=64)], page: PageNumber = 1
) -> HTMLResponse:
    """The statement and every article that carries it, first seen first."""
    size = 50
    view = query.quote(_store(request), quote_id, offset=(page - 1) * size, limit=size)
    pages = max(1, -(-view.total // size))
    return render(
        request,
        "quote.html",
        view=view,
        page=page,
        pages=pages,
        prev_link=_link(f"/quote/{quote_id}", page=page - 1) if page > 1 else None,
        next_link=_link(f"/quote/{quote_id}", page=page + 1) if page < pages else None,
    )


@router.get("/timeline", summary="Timeline page")
def timeline(
    request: Request,
    since: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    until: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    future: bool = False,
    page: PageNumber = 1,
) -> HTMLResponse:
    """Dated events and statements about the future, by date."""
    size = 50
    result = query.timeline_page(
        _store(request),
        since=day(since, "from"),
        until=day(until, "to"),
        future_only=future,
        offset=(page - 1) * size,
        limit=size,
    )
    params = {"from": since, "to": until, "future": "true" if future else None}
    return render(
        request,
        "timeline.html",
        entries=result.items,
        params=params,
        page=page,
        prev_link=_link("/timeline", **params, page=page - 1) if page > 1 else None,
        next_link=_link("/timeline", **params, page=page + 1) if result.more else None,
    )


@router.get("/docs", summary="API documentation")
def docs(request: Request) -> HTMLResponse:
    """Every endpoint, its parameters and request body, from the OpenAPI schema (/openapi.json)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, spec in methods.items():
            body = spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": spec.get("summary", ""),
                    "description": spec.get("description", ""),
                    "parameters": spec.get("parameters", []),
                    "body": _schema_fields(schema, body) if body else [],
                    "form": "application/x-www-form-urlencoded"
                    in spec.get("requestBody", {}).get("content", {}),
                    "responses": sorted(spec.get("responses", {})),
                }
            )
    endpoints.sort(key=lambda e: (not e["path"].startswith("/api"), e["path"], e["method"]))
    return render(request, "docs.html", endpoints=endpoints, info=schema.get("info", {}))


def _schema_fields(schema: dict[str, Any], ref: dict[str, Any]) -> list[dict[str, Any]]:
    name = ref.get("$ref", "").rsplit("/", 1)[-1]
    model = schema.get("components", {}).get("schemas", {}).get(name, {})
    required = set(model.get("required", []))
    return [
        {
            "name": field,
            "required": field in required,
            "description": spec.get("description", ""),
            "type": spec.get("type") or "/".join(x.get("type", "") for x in spec.get("anyOf", [])),
        }
        for field, spec in model.get("properties", {}).items()
    ]


# ---------------------------------------------------------------------------- role chart


@dataclass
class Bar:
    x: float
    y: float
    width: float
    label: str
    detail: str
    ended: bool
    person_id: str
    href: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    undated: list[str]


_CHART_WIDTH = 900
_LABEL_WIDTH = 250
_ROW = 26


def role_chart(spans: Sequence[query.RoleSpan | query.Holder], label: Any = None) -> Chart:
    """Bars from first to last report of each office (to its end where one is known), on a shared
    time axis; offices with no date are listed under the chart."""
    label = label or (lambda s: s.title + (f", {s.org}" if s.org else ""))
    dated = []
    undated = []
    for span in spans:
        start = span.first_seen or span.ended_by
        stop = max(filter(None, [span.last_seen, span.ended_by, start]), default=None)
        if start and stop:
            dated.append((span, dt.date.fromisoformat(start), dt.date.fromisoformat(stop)))
        else:
            undated.append(label(span))
    if not dated:
        return Chart(_CHART_WIDTH, 0, [], [], undated)
    low = min(d[1] for d in dated)
    high = max(d[2] for d in dated)
    low = dt.date(low.year, 1, 1)
    high = dt.date(high.year + 1, 1, 1)
    days = (high - low).days
    plot = _CHART_WIDTH - _LABEL_WIDTH - 30

    def x(day: dt.date) -> float:
        return round(_LABEL_WIDTH + plot * (day - low).days / days, 1)

    bars = []
    for row, (span, start, stop) in enumerate(dated):
        detail = f"{span.first_seen or '?'} to {span.last_seen or '?'}"
        if span.ended_by:
            detail += f", ended by {span.ended_by}"
        detail += f"; {span.evidence_count} report(s)"
        bars.append(
            Bar(
                x=x(start),
                y=22 + row * _ROW,
                width=max(4.0, round(x(stop) - x(start), 1)),
                label=label(span),
                detail=detail,
                ended=span.ended_by is not None,
                person_id=span.person_id,
                href=_link("/office", title=span.title),
            )
        )
    step = max(1, (high.year - low.year) // 8)
    ticks = [(x(dt.date(year, 1, 1)), str(year)) for year in range(low.year, high.year + 1, step)]
    return Chart(_CHART_WIDTH, 22 + len(dated) * _ROW + 8, bars, ticks, undated)
