-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Data quality and run results
-- MAGIC
-- MAGIC Checks of the bronze history contract that silver relies on, and the Delta history of the
-- MAGIC tables each run of the `medallion` job rewrote. A cell whose comment starts with `Check:`
-- MAGIC returns the offending rows: an empty result is a pass.

-- COMMAND ----------

CREATE WIDGET TEXT catalog DEFAULT 'main';
CREATE WIDGET TEXT bronze_schema DEFAULT 'bronze';
CREATE WIDGET TEXT silver_schema DEFAULT 'silver';
CREATE WIDGET TEXT gold_schema DEFAULT 'gold';

-- COMMAND ----------

-- Check: bronze rows silver cannot use: no key, no LSN, or an unknown change type.
SELECT _change_type, COUNT(*) AS bad_rows
FROM IDENTIFIER(:catalog || '.' || :bronze_schema || '.lb_orders_history')
WHERE order_id IS NULL
  OR _lsn IS NULL
  OR _change_type NOT IN ('insert', 'update_preimage', 'update_postimage', 'delete')
GROUP BY _change_type

-- COMMAND ----------

-- Check: updates whose pre-image and post-image do not pair up on one LSN.
SELECT order_id, _lsn,
  COUNT_IF(_change_type = 'update_preimage') AS preimages,
  COUNT_IF(_change_type = 'update_postimage') AS postimages
FROM IDENTIFIER(:catalog || '.' || :bronze_schema || '.lb_orders_history')
WHERE _change_type IN ('update_preimage', 'update_postimage')
GROUP BY order_id, _lsn
HAVING preimages != postimages

-- COMMAND ----------

-- Check: silver holds one row per key.
SELECT order_id, COUNT(*) AS rows_per_key
FROM IDENTIFIER(:catalog || '.' || :silver_schema || '.silver_orders')
GROUP BY order_id
HAVING COUNT(*) > 1

-- COMMAND ----------

-- Order lines whose order is not in silver (deleted or not replicated yet).
SELECT COUNT(*) AS orphan_order_lines
FROM IDENTIFIER(:catalog || '.' || :silver_schema || '.silver_order_items') AS i
LEFT ANTI JOIN IDENTIFIER(:catalog || '.' || :silver_schema || '.silver_orders') AS o
  ON i.order_id = o.order_id

-- COMMAND ----------

-- Run results: the last rewrites of silver_orders (each run is one Delta commit; see
-- operationMetrics.numOutputRows for the rows written).
-- DESCRIBE HISTORY takes no IDENTIFIER() in open-source Delta: the widgets are substituted as text.
DESCRIBE HISTORY ${catalog}.${silver_schema}.silver_orders LIMIT 10
