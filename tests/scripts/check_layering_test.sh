#!/usr/bin/env bash
# The layering check must catch what it claims to: a scratch repository gets one wrong-way include
# per rule, and the check has to fail naming every one of them, then pass once they are gone.
set -euo pipefail
source_root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
git init -q .
mkdir -p scripts
cp "$source_root/scripts/check-layering" scripts/
plant() {  # file, include line
    mkdir -p "$(dirname "$1")"
    printf '%s\n' "$2" >"$1"
}
plant loyalty/core/a.h '#include <soci/soci.h>'
plant loyalty/core/b.cpp '#include "loyalty/store/db/database.h"'
plant loyalty/core/c.h '#include <openssl/evp.h>'
plant crypto/d.h '#include "loyalty/core/error.h"'
plant loyalty/store/e.cpp '#include "loyalty/service/services.h"'
plant loyalty/store/f.h '  #  include "api/router.h"'
plant loyalty/service/pos/g.cpp '#include "pos-adapter/purchase_answer.h"'
plant loyalty/service/posting/h.cpp '#include "loyalty/service/program/rule_service.h"'
plant pos-adapter/i.cpp '#include "loyalty/service/pos/purchase_service.h"'
plant pos-adapter/j.h '#include <soci/soci.h>'
plant api/k.cpp '#include "loyalty/store/members/member_store.h"'
git add -A
if output=$(scripts/check-layering 2>&1); then
    echo "the check passed a tree full of wrong-way includes:" >&2
    echo "$output" >&2
    exit 1
fi
missed=0
for file in loyalty/core/a.h loyalty/core/b.cpp loyalty/core/c.h crypto/d.h loyalty/store/e.cpp loyalty/store/f.h \
    loyalty/service/pos/g.cpp loyalty/service/posting/h.cpp pos-adapter/i.cpp pos-adapter/j.h api/k.cpp; do
    if ! grep -q "$file:1:" <<<"$output"; then
        echo "the check did not name $file" >&2
        missed=1
    fi
done
[[ $missed -eq 0 ]] || { echo "$output" >&2; exit 1; }
# Right-way includes pass.
git rm -qrf loyalty crypto pos-adapter api
plant loyalty/core/ok.h '#include <nlohmann/json.hpp>'
plant loyalty/store/ok.cpp '#include "loyalty/core/error.h"'
plant loyalty/service/posting/ok.cpp '#include "loyalty/service/posting/point_postings.h"'
plant api/ok.cpp '#include "loyalty/service/services.h"'
git add -A
scripts/check-layering
echo "the layering check names every wrong-way include and passes right-way ones"
