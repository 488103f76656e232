-- AlterTable
ALTER TABLE "Mission" ADD COLUMN "awaitingUntil" DATETIME;

-- AlterTable
ALTER TABLE "Job" ADD COLUMN "awaitingUntil" DATETIME;

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "awaitingUntil" DATETIME;
ALTER TABLE "Case" ADD COLUMN "error" TEXT;

-- CreateIndex
CREATE INDEX "Mission_awaitingUntil_idx" ON "Mission"("awaitingUntil");

-- CreateIndex
CREATE INDEX "Job_awaitingUntil_idx" ON "Job"("awaitingUntil");

-- CreateIndex
CREATE INDEX "Case_awaitingUntil_idx" ON "Case"("awaitingUntil");

