-- CreateIndex
CREATE INDEX "Mission_updatedAt_id_idx" ON "Mission"("updatedAt", "id");

-- CreateIndex
CREATE INDEX "Mission_finishedAt_id_idx" ON "Mission"("finishedAt", "id");

-- CreateIndex
CREATE INDEX "Mission_name_id_idx" ON "Mission"("name", "id");

-- CreateIndex
CREATE INDEX "Job_updatedAt_id_idx" ON "Job"("updatedAt", "id");

-- CreateIndex
CREATE INDEX "Job_finishedAt_id_idx" ON "Job"("finishedAt", "id");

-- CreateIndex
CREATE INDEX "Job_name_id_idx" ON "Job"("name", "id");

-- CreateIndex
CREATE INDEX "Case_updatedAt_id_idx" ON "Case"("updatedAt", "id");

-- CreateIndex
CREATE INDEX "Case_finishedAt_id_idx" ON "Case"("finishedAt", "id");

-- CreateIndex
CREATE INDEX "Case_name_id_idx" ON "Case"("name", "id");

-- CreateIndex
CREATE INDEX "Case_totalCostMicros_id_idx" ON "Case"("totalCostMicros", "id");

-- CreateIndex
CREATE INDEX "Case_jobId_status_totalCostMicros_idx" ON "Case"("jobId", "status", "totalCostMicros");

