"""PostgreSQL: place an order in one statement

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

The order path is the ledger's hottest; on PostgreSQL it runs as one function call in one
round trip, so commits group their WAL flushes and Python does one statement per order.
It mirrors ``ledger/domain/placement.py`` step by step (same lock order, same checks, same
FIFO); the test suite runs every placement test against both.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PLACE_ORDER = r"""
CREATE OR REPLACE FUNCTION ledger_place_order(
    p_order_id text, p_employee text, p_item text, p_quantity integer, p_points bigint,
    p_badge text, p_device text, p_offline boolean, p_hash text, p_placed_at timestamptz,
    p_now timestamptz, p_tz text
) RETURNS TABLE (outcome text, refusal text)
LANGUAGE plpgsql AS $fn$
DECLARE
    v_wallet text := 'wallet:' || p_employee;
    v_active boolean;
    v_stocked boolean;
    v_balance bigint;
    v_item items%ROWTYPE;
    v_refusal text;
    v_used bigint;
    v_local timestamp;
    v_start timestamptz;
    v_end timestamptz;
    v_left bigint;
    v_take bigint;
    v_lot record;
    v_lot_ids integer[] := '{}';
    v_takes bigint[] := '{}';
    v_transfer integer;
BEGIN
    PERFORM 1 FROM orders WHERE id = p_order_id;
    IF FOUND THEN
        RETURN QUERY SELECT 'existing'::text, NULL::text;
        RETURN;
    END IF;
    SELECT e.active INTO v_active FROM employees e WHERE e.id = p_employee;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unknown_employee'::text, NULL::text;
        RETURN;
    END IF;
    SELECT i.stock IS NOT NULL INTO v_stocked FROM items i WHERE i.id = p_item;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unknown_item'::text, NULL::text;
        RETURN;
    END IF;

    -- Lock order: wallet, then (stocked) item; lots change only under the wallet lock.
    SELECT a.balance INTO v_balance FROM accounts a WHERE a.id = v_wallet FOR UPDATE;
    IF v_stocked THEN
        SELECT * INTO v_item FROM items i WHERE i.id = p_item FOR UPDATE;
    ELSE
        SELECT * INTO v_item FROM items i WHERE i.id = p_item;
    END IF;

    IF NOT v_active THEN
        v_refusal := 'employee_inactive';
    ELSIF NOT v_item.active THEN
        v_refusal := 'item_inactive';
    ELSIF p_points <> v_item.points * p_quantity THEN
        v_refusal := 'price_changed';
    ELSIF v_item.stock IS NOT NULL AND v_item.stock < p_quantity THEN
        v_refusal := 'out_of_stock';
    ELSIF v_item.limit_per_employee IS NOT NULL AND v_item.limit_period IS NOT NULL THEN
        v_local := date_trunc(v_item.limit_period, p_now AT TIME ZONE p_tz);
        v_start := v_local AT TIME ZONE p_tz;
        v_end := (v_local + CASE v_item.limit_period WHEN 'month' THEN interval '1 month'
                                                     WHEN 'quarter' THEN interval '3 months'
                                                     ELSE interval '1 year' END) AT TIME ZONE p_tz;
        SELECT coalesce(sum(o.quantity), 0) INTO v_used FROM orders o
         WHERE o.employee_id = p_employee AND o.item_id = p_item
           AND o.status IN ('pending', 'approved', 'fulfilled')
           AND o.created_at >= v_start AND o.created_at < v_end;
        IF v_used + p_quantity > v_item.limit_per_employee THEN
            v_refusal := 'limit_reached';
        END IF;
    END IF;

    IF v_refusal IS NULL THEN
        IF v_balance < p_points THEN
            v_refusal := 'insufficient_points';
        ELSE
            v_left := p_points;
            FOR v_lot IN
                SELECT l.id, l.remaining FROM lots l
                 WHERE l.employee_id = p_employee AND l.remaining > 0 AND l.expires_at > p_now
                 ORDER BY l.expires_at, l.id
            LOOP
                EXIT WHEN v_left = 0;
                v_take := least(v_lot.remaining, v_left);
                v_lot_ids := v_lot_ids || v_lot.id;
                v_takes := v_takes || v_take;
                v_left := v_left - v_take;
            END LOOP;
            IF v_left > 0 THEN
                v_refusal := 'insufficient_points';
            END IF;
        END IF;
    END IF;

    INSERT INTO orders (id, employee_id, item_id, quantity, points, status, reason, refused,
                        badge_serial, device_id, offline, request_hash, placed_at, created_at,
                        updated_at, change_seq)
    VALUES (p_order_id, p_employee, p_item, p_quantity, p_points,
            CASE WHEN v_refusal IS NULL THEN 'pending' ELSE 'rejected' END,
            v_refusal, v_refusal IS NOT NULL, p_badge, p_device, p_offline, p_hash,
            p_placed_at, p_now, p_now, NULL)
    ON CONFLICT (id) DO NOTHING;
    IF NOT FOUND THEN
        -- The same id committed while this call waited for the wallet: replay that one.
        RETURN QUERY SELECT 'existing'::text, NULL::text;
        RETURN;
    END IF;

    IF v_refusal IS NULL THEN
        INSERT INTO transfers (from_account, to_account, amount, kind, employee_id, order_id,
                               memo, created_at, change_seq)
        VALUES (v_wallet, 'orders_held', p_points, 'hold', p_employee, p_order_id,
                left(v_item.title_en, 200), p_now, NULL)
        RETURNING id INTO v_transfer;
        UPDATE accounts SET balance = balance - p_points WHERE id = v_wallet;
        UPDATE lots l SET remaining = l.remaining - t.take, change_seq = NULL
          FROM unnest(v_lot_ids, v_takes) AS t(id, take) WHERE l.id = t.id;
        INSERT INTO lot_allocations (lot_id, transfer_id, order_id, points)
        SELECT t.id, v_transfer, p_order_id, t.take FROM unnest(v_lot_ids, v_takes) AS t(id, take);
        UPDATE employees SET change_seq = NULL WHERE id = p_employee;
        IF v_item.stock IS NOT NULL THEN
            UPDATE items SET stock = stock - p_quantity, updated_at = p_now, change_seq = NULL
             WHERE id = p_item;
        END IF;
    END IF;
    RETURN QUERY SELECT 'created'::text, v_refusal;
END
$fn$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PLACE_ORDER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS ledger_place_order")
