-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "raftIndex" BIGINT NOT NULL,
    "time" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "changeCount" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "HistoryEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "raftIndex" BIGINT NOT NULL,
    "seq" INTEGER NOT NULL,
    "time" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "actor" TEXT,
    "detail" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "StackRevision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "stack" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "raftIndex" BIGINT NOT NULL,
    "time" DATETIME NOT NULL,
    "actor" TEXT,
    "yaml" TEXT NOT NULL,
    "specs" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "HistoryProgress" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "lastIndex" BIGINT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_raftIndex_key" ON "AuditEntry"("raftIndex");

-- CreateIndex
CREATE INDEX "AuditEntry_actor_idx" ON "AuditEntry"("actor");

-- CreateIndex
CREATE INDEX "AuditEntry_time_idx" ON "AuditEntry"("time");

-- CreateIndex
CREATE INDEX "HistoryEvent_kind_objectId_idx" ON "HistoryEvent"("kind", "objectId");

-- CreateIndex
CREATE INDEX "HistoryEvent_time_idx" ON "HistoryEvent"("time");

-- CreateIndex
CREATE UNIQUE INDEX "HistoryEvent_raftIndex_seq_key" ON "HistoryEvent"("raftIndex", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "StackRevision_raftIndex_key" ON "StackRevision"("raftIndex");

-- CreateIndex
CREATE UNIQUE INDEX "StackRevision_stack_revision_key" ON "StackRevision"("stack", "revision");
