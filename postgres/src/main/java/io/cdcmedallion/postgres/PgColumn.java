package io.cdcmedallion.postgres;

/**
 * A Postgres column as the catalog describes it.
 *
 * @param name column name
 * @param typeName {@code pg_type.typname}, e.g. {@code int8}, {@code numeric}, {@code _int4}
 * @param typeKind {@code pg_type.typtype}: {@code b} base, {@code e} enum, {@code d} domain, {@code
 *     c} composite, {@code r} range, {@code m} multirange, {@code p} pseudo
 * @param typeCategory {@code pg_type.typcategory}, {@code A} for arrays
 * @param typeMod {@code atttypmod}: precision and scale of {@code numeric}, -1 when unconstrained
 * @param declaredType the type as declared, e.g. {@code numeric(10,2)}, for messages
 */
public record PgColumn(
    String name,
    String typeName,
    char typeKind,
    char typeCategory,
    int typeMod,
    String declaredType) {}
