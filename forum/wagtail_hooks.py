from wagtail import hooks

from forum.viewsets import ForumViewSetGroup


@hooks.register("register_admin_viewset")
def register_forum_viewsets():
    return ForumViewSetGroup()
