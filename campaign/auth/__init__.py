"""Users, roles, login: admins keep users, officers plan, leaders read."""
