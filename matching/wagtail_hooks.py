from wagtail import hooks
from wagtail.permissions import register_permission_policy

from matching.models import SuggestionFeedback
from matching.viewsets import MatchingViewSetGroup, SecretariatReadOnlyPolicy

# Registered before any admin code asks for the model's policy.
register_permission_policy(SuggestionFeedback, SecretariatReadOnlyPolicy(SuggestionFeedback))


@hooks.register("register_admin_viewset")
def register_matching_viewsets():
    return MatchingViewSetGroup()
