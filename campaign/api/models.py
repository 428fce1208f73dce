"""API tokens live with the users they belong to (`campaign.auth.models.ApiToken`): deactivating
a user revokes them. Kept here so `campaign.api.models` still names the model."""

from __future__ import annotations

from campaign.auth.models import ApiToken

__all__ = ["ApiToken"]
