"""My notifications inbox: list (all / unread), open one (marks it read), mark all read."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .. import notifications
from ..pagination import page_of
from .guards import login_required


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = page_of(notifications.list_for(request.user, unread_only=unread_only), request)
    return render(request, "core/notifications/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
def open_notification(request, pk: int):
    """POST: mark read, then follow the notification's link when it stays on this site."""
    notification = notifications.get_notification_for(request.user, pk, action="change")
    if request.method == "POST":
        notifications.mark_read(notification, actor=request.user)
        link = notification.link
        if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
            return redirect(link)
    return redirect("notifications")


@login_required
def mark_all_read(request):
    if request.method == "POST":
        count = notifications.mark_all_read(actor=request.user)
        messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。")
    return redirect("notifications")
