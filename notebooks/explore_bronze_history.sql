-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Explore bronze CDC history
-- MAGIC
-- MAGIC The Lakehouse Sync history tables (`lb_<table>_history`) hold one row per insert, update
-- MAGIC (pre- and post-image on one LSN) and delete. These are the cookbook's queries, on the sample
-- MAGIC shop tables that `./medallion generate` writes (cookbook metadata shape). Change `main.bronze`
-- MAGIC to your catalog and bronze schema.

-- COMMAND ----------

-- Change counts per table and change type.
SELECT 'orders' AS entity, _change_type, COUNT(*) AS changes FROM main.bronze.lb_orders_history GROUP BY _change_type
UNION ALL
SELECT 'customers', _change_type, COUNT(*) FROM main.bronze.lb_customers_history GROUP BY _change_type
ORDER BY entity, _change_type

-- COMMAND ----------

-- Latest state of each row (what silver_orders holds).
SELECT *
FROM (
  SELECT *,
    ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY _lsn DESC) AS rn
  FROM main.bronze.lb_orders_history
  WHERE _change_type IN ('insert', 'update_postimage', 'delete')
)
WHERE rn = 1
  AND _change_type != 'delete'
ORDER BY order_id
LIMIT 20

-- COMMAND ----------

-- Full change history of the order with the most changes.
SELECT *
FROM main.bronze.lb_orders_history
WHERE order_id = (
  SELECT order_id FROM main.bronze.lb_orders_history GROUP BY order_id ORDER BY COUNT(*) DESC, order_id LIMIT 1
)
ORDER BY _lsn, _change_type DESC
