package io.cdcmedallion.session.internal;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.catalog.DeltaCatalog;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A named catalog for the local lakehouse ({@code spark.sql.catalog.main}) that behaves like a
 * Unity Catalog catalog: three-part names, Delta tables, namespaces. It is Delta's catalog over the
 * session's (Hive/Derby) metastore.
 *
 * <p>Delta's catalog normally receives its delegate only when it replaces {@code spark_catalog};
 * registered under another name the delegate stays null, so this subclass sets it.
 */
public class LocalCatalog extends DeltaCatalog {
  private String catalogName = "main";

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    super.initialize(name, options);
    this.catalogName = name;
    setDelegateCatalog(SparkSession.active().sessionState().catalogManager().v2SessionCatalog());
  }

  @Override
  public String name() {
    return catalogName;
  }
}
