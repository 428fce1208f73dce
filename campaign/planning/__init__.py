"""Planning: campaigns, their calendar of events, editorial slots and outlets."""
