-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Explore bronze CDC history
-- MAGIC
-- MAGIC The Lakehouse Sync history tables (`lb_<table>_history`) hold one row per insert, update
-- MAGIC (pre- and post-image on one LSN) and delete. These are the cookbook's queries ("Query the
-- MAGIC history tables") on the sample shop tables that `./medallion generate` writes (cookbook
-- MAGIC metadata shape: `_change_type`, `_lsn`, `_commit_timestamp`).
-- MAGIC
-- MAGIC Set the `catalog` and `bronze_schema` widgets (the next cell creates them); every query names
-- MAGIC its tables with `IDENTIFIER(:catalog || '.' || :bronze_schema || '.<table>')` (parameter markers
-- MAGIC bound to the widgets), except `DESCRIBE HISTORY`, which reads them as `${catalog}` text.

-- COMMAND ----------

CREATE WIDGET TEXT catalog DEFAULT 'main';
CREATE WIDGET TEXT bronze_schema DEFAULT 'bronze';

-- COMMAND ----------

-- Change counts per table and change type.
SELECT 'orders' AS entity, _change_type, COUNT(*) AS changes
FROM IDENTIFIER(:catalog || '.' || :bronze_schema || '.lb_orders_history')
GROUP BY _change_type
UNION ALL
SELECT 'customers', _change_type, COUNT(*)
FROM IDENTIFIER(:catalog || '.' || :bronze_schema || '.lb_customers_history')
GROUP BY _change_type
ORDER BY entity, _change_type

-- COMMAND ----------

-- Latest state of each row (the cookbook's query; what silver_orders holds).
SELECT *
FROM (
  SELECT *,
    ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY _lsn DESC) AS rn
  FROM IDENTIFIER(:catalog || '.' || :bronze_schema || '.lb_orders_history')
  WHERE _change_type IN ('insert', 'update_postimage', 'delete')
)
WHERE rn = 1
  AND _change_type != 'delete'
ORDER BY order_id
LIMIT 20

-- COMMAND ----------

-- Full change history for one record: the order with the most changes.
SELECT *
FROM IDENTIFIER(:catalog || '.' || :bronze_schema || '.lb_orders_history')
WHERE order_id = (
  SELECT order_id
  FROM IDENTIFIER(:catalog || '.' || :bronze_schema || '.lb_orders_history')
  GROUP BY order_id
  ORDER BY COUNT(*) DESC, order_id
  LIMIT 1
)
ORDER BY _lsn, _change_type DESC

-- COMMAND ----------

-- The bronze table's Delta commits (each Lakehouse Sync batch is one version).
-- DESCRIBE HISTORY takes no IDENTIFIER() in open-source Delta: the widgets are substituted as text.
DESCRIBE HISTORY ${catalog}.${bronze_schema}.lb_orders_history
