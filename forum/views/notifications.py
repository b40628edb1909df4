"""The user's notifications."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forum.selectors.notifications import notification_list_for_user
from forum.services.notifications import notification_mark_all_read


@login_required
def notification_list(request):
    """All of the user's notifications, paginated."""
    page = Paginator(notification_list_for_user(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "forum/notification_list.html", {"page_obj": page})


@login_required
@require_POST
def notifications_mark_read(request):
    """Mark every notification as read."""
    notification_mark_all_read(user=request.user)
    return redirect("forum:notifications")
