-- CreateIndex
CREATE INDEX "Transition_missionId_id_idx" ON "Transition"("missionId", "id");

-- CreateIndex
CREATE INDEX "Transition_jobId_id_idx" ON "Transition"("jobId", "id");

-- CreateIndex
CREATE INDEX "Transition_caseId_id_idx" ON "Transition"("caseId", "id");

