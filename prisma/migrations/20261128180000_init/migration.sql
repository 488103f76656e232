-- CreateTable
CREATE TABLE "Mission" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" TEXT NOT NULL DEFAULT 'STOPPED',
    "version" INTEGER NOT NULL DEFAULT 0,
    "metadata" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'STOPPED',
    "version" INTEGER NOT NULL DEFAULT 0,
    "metadata" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "agentName" TEXT NOT NULL,
    "missionId" TEXT,
    "jobContext" JSONB,
    "payload" JSONB,
    "result" JSONB,
    "error" TEXT,
    "agentParameters" JSONB,
    CONSTRAINT "Job_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" TEXT NOT NULL DEFAULT 'STOPPED',
    "version" INTEGER NOT NULL DEFAULT 0,
    "metadata" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "jobId" TEXT NOT NULL,
    "totalCost" REAL NOT NULL DEFAULT 0,
    "finalDelivery" JSONB,
    CONSTRAINT "Case_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseUpdate" (
    "caseId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT,
    "cost" REAL,
    "payload" JSONB,
    "isFinal" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("caseId", "index"),
    CONSTRAINT "CaseUpdate_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Transition" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "entityType" TEXT NOT NULL,
    "missionId" TEXT,
    "jobId" TEXT,
    "caseId" TEXT,
    "event" TEXT NOT NULL,
    "fromStatus" TEXT NOT NULL,
    "toStatus" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "actor" TEXT,
    "reason" TEXT,
    "idempotencyKey" TEXT,
    CONSTRAINT "Transition_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Transition_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Transition_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Mission_status_createdAt_id_idx" ON "Mission"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Mission_createdAt_id_idx" ON "Mission"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Job_missionId_createdAt_id_idx" ON "Job"("missionId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Job_status_createdAt_id_idx" ON "Job"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Job_agentName_createdAt_id_idx" ON "Job"("agentName", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Job_createdAt_id_idx" ON "Job"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Case_jobId_createdAt_id_idx" ON "Case"("jobId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Case_status_createdAt_id_idx" ON "Case"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Case_createdAt_id_idx" ON "Case"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Transition_missionId_idempotencyKey_key" ON "Transition"("missionId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Transition_jobId_idempotencyKey_key" ON "Transition"("jobId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Transition_caseId_idempotencyKey_key" ON "Transition"("caseId", "idempotencyKey");

