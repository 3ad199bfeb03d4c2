-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Silver and gold
-- MAGIC
-- MAGIC What the `silver` and `gold` tasks of the `medallion` job (databricks.yml) built: the current
-- MAGIC state per key, and the aggregates over it. Set the widgets to the bundle's variables.

-- COMMAND ----------

CREATE WIDGET TEXT catalog DEFAULT 'main';
CREATE WIDGET TEXT bronze_schema DEFAULT 'bronze';
CREATE WIDGET TEXT silver_schema DEFAULT 'silver';
CREATE WIDGET TEXT gold_schema DEFAULT 'gold';

-- COMMAND ----------

-- Current orders per status.
SELECT status, COUNT(*) AS orders
FROM IDENTIFIER(:catalog || '.' || :silver_schema || '.silver_orders')
GROUP BY status
ORDER BY orders DESC, status

-- COMMAND ----------

-- Silver against bronze: keys whose latest event is not a delete, per the cookbook's query.
SELECT
  (SELECT COUNT(*) FROM IDENTIFIER(:catalog || '.' || :silver_schema || '.silver_orders')) AS silver_rows,
  (SELECT COUNT(*)
   FROM (
     SELECT _change_type,
       ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY _lsn DESC) AS rn
     FROM IDENTIFIER(:catalog || '.' || :bronze_schema || '.lb_orders_history')
     WHERE _change_type IN ('insert', 'update_postimage', 'delete')
   )
   WHERE rn = 1 AND _change_type != 'delete') AS live_keys_in_bronze

-- COMMAND ----------

-- Daily order summary, newest days first (the cookbook's gold query).
SELECT *
FROM IDENTIFIER(:catalog || '.' || :gold_schema || '.gold_daily_order_summary')
ORDER BY order_date DESC, status
LIMIT 20

-- COMMAND ----------

-- Best customers.
SELECT *
FROM IDENTIFIER(:catalog || '.' || :gold_schema || '.gold_customer_lifetime_value')
ORDER BY lifetime_value DESC
LIMIT 10

-- COMMAND ----------

-- Products that sold most over the whole history.
SELECT product_id, product_name, SUM(units_sold) AS units, SUM(revenue) AS revenue
FROM IDENTIFIER(:catalog || '.' || :gold_schema || '.gold_daily_product_sales')
GROUP BY product_id, product_name
ORDER BY revenue DESC, product_id
LIMIT 10
