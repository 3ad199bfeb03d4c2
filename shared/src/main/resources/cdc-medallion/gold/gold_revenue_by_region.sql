-- Customer value by region: how many customers each region has, how many of them ordered,
-- and what they spent (cancelled orders excluded).
SELECT
  c.region,
  COUNT(DISTINCT c.customer_id) AS customer_count,
  COUNT(DISTINCT o.customer_id) AS ordering_customers,
  COUNT(o.order_id) AS order_count,
  COALESCE(SUM(o.total_amount), 0) AS total_revenue
FROM silver_customers c
LEFT JOIN silver_orders o
  ON o.customer_id = c.customer_id
  AND o.status <> 'cancelled'
GROUP BY c.region
