#ifndef SD_H
#define SD_H

/* libsd: everything the sd commands share.  See sd(7). */

#include "sd/error.h"
#include "sd/time.h"
#include "sd/calendar.h"
#include "sd/codec.h"
#include "sd/id.h"
#include "sd/field.h"
#include "sd/config.h"
#include "sd/ticket.h"
#include "sd/attach.h"
#include "sd/kb.h"
#include "sd/validate.h"
#include "sd/sla.h"
#include "sd/paths.h"
#include "sd/store.h"
#include "sd/progress.h"
#include "sd/desk.h"
#include "sd/filter.h"
#include "sd/search.h"
#include "sd/fsck.h"
#include "sd/report.h"
#include "sd/shell.h"
#include "sd/action.h"
#include "sd/rules.h"
#include "sd/words.h"
#include "sd/workflow.h"
#include "sd/format.h"
#include "sd/cli.h"

#endif
