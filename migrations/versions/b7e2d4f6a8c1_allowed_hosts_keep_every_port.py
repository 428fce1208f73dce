"""sources: allow-list entries saved without a port keep meaning every port (host:*)

Before entries were host:port, a bare host on the allowed-hosts page opened every port of that
host; since, a bare host opens ports 80 and 443 only. The entries an administrator saved before
are rewritten as `host:*`, so each keeps opening what it opened; the page shows them as such and
the administrator can narrow them to the port the source uses. An entry whose `host:*` already
exists is dropped (the wider one is there). Downgrade writes `host:*` back as the bare host (which
meant every port then).

Revision ID: b7e2d4f6a8c1
Revises: f2a6c8e4b1d9
Create Date: 2026-12-08 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e2d4f6a8c1'
down_revision = 'f2a6c8e4b1d9'
branch_labels = None
depends_on = None

EVERY_PORT = '*'


def _every_port(host):
    """`host` as an entry for every port, or None when it names a port already."""
    if host.startswith('[') or host.count(':') == 1:
        return None  # [v6]:port, name:port, name:*
    if ':' in host:
        return f'[{host}]:{EVERY_PORT}'  # a bare IPv6 address
    return f'{host}:{EVERY_PORT}'


def _bare(host):
    """An every-port entry as the bare host that meant every port before, or None."""
    if not host.endswith(f':{EVERY_PORT}'):
        return None
    name = host[:-2]
    return name[1:-1] if name.startswith('[') and name.endswith(']') else name


def _rewrite(change):
    conn = op.get_bind()
    rows = conn.execute(sa.text('SELECT id, host FROM allowed_hosts')).all()
    taken = {host for _id, host in rows}
    for row_id, host in rows:
        new = change(host)
        if new is None:
            continue
        if new in taken:
            conn.execute(sa.text('DELETE FROM allowed_hosts WHERE id = :id'), {'id': row_id})
        else:
            conn.execute(sa.text('UPDATE allowed_hosts SET host = :host WHERE id = :id'),
                         {'host': new, 'id': row_id})
            taken.add(new)
        taken.discard(host)


def upgrade():
    _rewrite(_every_port)


def downgrade():
    _rewrite(_bare)
