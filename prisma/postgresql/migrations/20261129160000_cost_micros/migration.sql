-- Costs are kept as whole millionths of a unit (micro-units) in integer columns: integers add
-- exactly, where floating-point sums drift (1,000 steps of 0.01 summed to 9.999999999999831) and
-- overflow to Infinity. A value is rounded to the nearest millionth; one past the documented
-- maximum (1,000,000,000 units, which only an Infinity, NaN or an overflow could reach) becomes
-- that maximum, and a negative one 0.

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "totalCostMicros" BIGINT NOT NULL DEFAULT 0;
UPDATE "Case" SET "totalCostMicros" = CASE
    WHEN "totalCost" <= 1000000000 THEN GREATEST(round("totalCost" * 1000000), 0)::BIGINT
    ELSE 1000000000000000
END;
ALTER TABLE "Case" DROP COLUMN "totalCost";

-- AlterTable
ALTER TABLE "CaseUpdate" ADD COLUMN "costMicros" BIGINT;
UPDATE "CaseUpdate" SET "costMicros" = CASE
    WHEN "cost" <= 1000000000 THEN GREATEST(round("cost" * 1000000), 0)::BIGINT
    ELSE 1000000000000000
END
WHERE "cost" IS NOT NULL;
ALTER TABLE "CaseUpdate" DROP COLUMN "cost";

-- A case as an idempotent transition left it, returned to retries, holds its total the same way.
UPDATE "Transition" SET "resultSnapshot" = ("resultSnapshot" - 'totalCost') || jsonb_build_object(
    'totalCostMicros',
    CASE
        WHEN jsonb_typeof("resultSnapshot" -> 'totalCost') = 'number'
            AND ("resultSnapshot" ->> 'totalCost')::DOUBLE PRECISION <= 1000000000
        THEN GREATEST(round(("resultSnapshot" ->> 'totalCost')::DOUBLE PRECISION * 1000000), 0)::BIGINT
        ELSE 1000000000000000
    END
)
WHERE "caseId" IS NOT NULL AND "resultSnapshot" ? 'totalCost';
