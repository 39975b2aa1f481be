"""The bulletin pages: a region's archive and feed, subscribing and a subscriber's own choices
(through the secret link of their messages), and the regional team's digests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from stepchange.bulletins import access, selectors, services
from stepchange.bulletins.forms import ConfirmSendForm, DigestForm, PreferencesForm, SubscribeForm
from stepchange.bulletins.models import Bulletin, BulletinKind, Subscriber
from stepchange.core.concurrency import StaleEdit
from stepchange.core.models import Region
from stepchange.core.pages import form_page

PER_PAGE = 20
FEED_SIZE = 30


def _region(code: str) -> Region:
    return get_object_or_404(Region, code=code)


def index(request: HttpRequest) -> HttpResponse:
    """Each region's bulletin, and the regions whose digests this person sends."""
    return render(
        request,
        "bulletins/index.html",
        {
            "regions": selectors.regions_with_bulletins(),
            "runs": list(access.regions_whose_bulletins_are_run_by(request.user).order_by("name")),
        },
    )


def archive(request: HttpRequest, region: str) -> HttpResponse:
    place = _region(region)
    page = Paginator(selectors.archive_of(place), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "bulletins/archive.html",
        {"region": place, "page": page, "runs": access.may_run_bulletins(request.user, place)},
    )


def bulletin(request: HttpRequest, region: str, pk: int) -> HttpResponse:
    place = _region(region)
    sent = get_object_or_404(selectors.archive_of(place), pk=pk)
    return render(
        request,
        "bulletins/bulletin.html",
        {"region": place, "bulletin": sent, "groups": selectors.grouped_entries(sent)},
    )


def feed(request: HttpRequest, region: str) -> HttpResponse:
    """The archive as Atom 1.0: one entry per bulletin sent, newest first."""
    place = _region(region)
    archive_url = request.build_absolute_uri(reverse("bulletins:archive", args=[place.code]))
    sent = list(selectors.archive_of(place).prefetch_related("entries")[:FEED_SIZE])
    atom = Atom1Feed(
        title=f"{place.name} bulletin",
        link=archive_url,
        description=f"Digests and alerts of new opportunities in {place.name}",
        language="en-gb",
        feed_url=request.build_absolute_uri(),
        feed_guid=archive_url,
        # Atom requires an author of the feed when its entries name none (RFC 4287, 4.1.1).
        author_name=f"{place.name} regional team",
    )
    for item in sent:
        link = request.build_absolute_uri(reverse("bulletins:bulletin", args=[place.code, item.pk]))
        lines = [item.intro] if item.intro else []
        lines += [entry.title for entry in item.entries.all()]
        assert item.sent_at is not None  # the archive holds only sent bulletins
        atom.add_item(
            title=item.title,
            link=link,
            description="\n".join(lines),
            unique_id=link,
            pubdate=item.sent_at,
            updateddate=item.sent_at,
            categories=[BulletinKind(item.kind).label],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response


def subscribe(request: HttpRequest, region: str) -> HttpResponse:
    place = _region(region)
    form = SubscribeForm(request.POST or None, region=place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscriber_sign_up(
                region=place,
                email=data["email"],
                kinds=data["kinds"],
                pathways=data["pathways"],
                areas=data["areas"],
                wants_alerts=data["wants_alerts"],
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            return render(request, "bulletins/check_email.html", {"region": place, "email": data["email"]})
    return render(request, "bulletins/subscribe.html", {"region": place, "form": form})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link shows a button: a GET changes nothing, since mail scanners open links."""
    subscriber = services.subscriber_for_confirmation(token)
    if subscriber is None:
        return render(request, "bulletins/link_expired.html", status=404)
    if request.method == "POST":
        confirmed = services.subscriber_confirm(token=token)
        if confirmed is None:
            return render(request, "bulletins/link_expired.html", status=404)
        return render(request, "bulletins/confirmed.html", {"subscriber": confirmed, "region": confirmed.region})
    return render(request, "bulletins/confirm.html", {"subscriber": subscriber, "region": subscriber.region})


def _subscription(token: str) -> Subscriber:
    return get_object_or_404(access.subscription_of_link(token).select_related("region"), token=token)


def manage(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscription(token)
    initial = {
        "version": subscriber.version,
        "kinds": subscriber.kinds,
        "pathways": list(subscriber.pathways.all()),
        "areas": list(subscriber.areas.all()),
        "wants_alerts": subscriber.wants_alerts,
    }
    form = PreferencesForm(request.POST or None, region=subscriber.region, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscriber_preferences_save(
                subscriber=subscriber,
                version=data["version"],
                kinds=data["kinds"],
                pathways=data["pathways"],
                areas=data["areas"],
                wants_alerts=data["wants_alerts"],
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
        else:
            messages.success(request, "Your choices are saved.")
            return redirect("bulletins:manage", token)
    return render(
        request,
        "bulletins/manage.html",
        {"subscriber": subscriber, "region": subscriber.region, "form": form},
    )


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click: a mail program POSTs ``List-Unsubscribe=One-Click`` here (RFC 8058), without a
    CSRF token, as may the button on the page. The secret in the address is what authorises it,
    as it is for the preferences page; a GET only shows the button."""
    subscriber = _subscription(token)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "bulletins/unsubscribed.html", {"subscriber": subscriber, "region": subscriber.region})
    return render(request, "bulletins/unsubscribe.html", {"subscriber": subscriber, "region": subscriber.region})


# The regional team ----------------------------------------------------------------------------


def _run_region(request: HttpRequest, code: str) -> Region:
    place = _region(code)
    if not access.may_run_bulletins(request.user, place):
        raise Http404
    return place


def _managed(request: HttpRequest, place: Region, pk: int) -> Bulletin:
    return get_object_or_404(access.bulletins_managed_by(request.user).filter(region=place), pk=pk)


@login_required
def team(request: HttpRequest, region: str) -> HttpResponse:
    place = _run_region(request, region)
    mine = access.bulletins_managed_by(request.user).filter(region=place)
    draft = mine.filter(kind=BulletinKind.DIGEST, sent_at__isnull=True).first()
    sent = Paginator(mine.filter(sent_at__isnull=False).order_by("-sent_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows: list[tuple[Bulletin, dict[str, int]]] = [(b, selectors.delivery_counts(b)) for b in sent]
    subscribers = Subscriber.objects.filter(region=place, confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    context: dict[str, Any] = {
        "region": place,
        "draft": draft,
        "page": sent,
        "rows": rows,
        "subscribers": subscribers.count(),
    }
    return render(request, "bulletins/team.html", context)


@login_required
@require_POST
def draft_new(request: HttpRequest, region: str) -> HttpResponse:
    place = _run_region(request, region)
    try:
        drafted = services.digest_draft(actor=request.user, region=place)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("bulletins:team", place.code)
    messages.success(request, "The next digest is drafted from what was published since the last one.")
    return redirect("bulletins:edit", place.code, drafted.pk)


@login_required
def edit(request: HttpRequest, region: str, pk: int) -> HttpResponse:
    place = _run_region(request, region)
    draft = _managed(request, place, pk)
    if draft.is_sent:
        return redirect("bulletins:bulletin", place.code, draft.pk)
    form = DigestForm(
        request.POST or None, initial={"version": draft.version, "title": draft.title, "intro": draft.intro}
    )
    if request.method == "POST":
        return form_page(
            request,
            form,
            title="Edit the digest",
            caption=place.name,
            back=reverse("bulletins:edit", args=[place.code, draft.pk]),
            save=lambda data: services.digest_edit(
                actor=request.user, bulletin=draft, version=data["version"], title=data["title"], intro=data["intro"]
            ),
            saved="The digest is saved.",
        )
    return render(
        request,
        "bulletins/edit.html",
        {
            "region": place,
            "bulletin": draft,
            "form": form,
            "send_form": ConfirmSendForm(initial={"version": draft.version}),
            "groups": selectors.grouped_entries(draft),
        },
    )


@login_required
@require_POST
def send(request: HttpRequest, region: str, pk: int) -> HttpResponse:
    place = _run_region(request, region)
    draft = _managed(request, place, pk)
    form = ConfirmSendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Send the digest from its page.")
        return redirect("bulletins:edit", place.code, draft.pk)
    try:
        queued = services.bulletin_send(actor=request.user, bulletin=draft, version=form.cleaned_data["version"])
    except StaleEdit as stale:
        messages.error(request, stale.message)
        return redirect("bulletins:edit", place.code, draft.pk)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("bulletins:edit", place.code, draft.pk)
    messages.success(request, f"The digest is being sent to {queued} subscriber{'s' if queued != 1 else ''}.")
    return redirect("bulletins:team", place.code)


@login_required
@require_POST
def resume(request: HttpRequest, region: str, pk: int) -> HttpResponse:
    place = _run_region(request, region)
    sent = _managed(request, place, pk)
    if not sent.is_sent:
        raise Http404
    services.bulletin_resume(actor=request.user, bulletin=sent)
    messages.success(request, "The messages still waiting will be sent.")
    return redirect("bulletins:team", place.code)
