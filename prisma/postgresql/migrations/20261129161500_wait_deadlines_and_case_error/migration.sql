-- AlterTable
ALTER TABLE "Mission" ADD COLUMN     "awaitingUntil" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "awaitingUntil" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "awaitingUntil" TIMESTAMPTZ(3),
ADD COLUMN     "error" TEXT;

-- CreateIndex
CREATE INDEX "Mission_awaitingUntil_idx" ON "Mission"("awaitingUntil");

-- CreateIndex
CREATE INDEX "Job_awaitingUntil_idx" ON "Job"("awaitingUntil");

-- CreateIndex
CREATE INDEX "Case_awaitingUntil_idx" ON "Case"("awaitingUntil");

