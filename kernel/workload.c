/*
 * Static workload for kernel/capture.sh, run as PID 1's child inside the guest.
 *
 * Threads touch and MADV_DONTNEED a shared anonymous region (concurrent zaps on
 * one mm: the race of 99baac21e458), one thread mmaps and munmaps a private
 * region (munmap gathers), optionally the main thread forks children that write
 * the shared region (CoW), and optionally the process creates a KVM VM so that
 * KVM's MMU notifier is registered on the mm and the zaps call
 * mmu_notifier_invalidate_range_start/_end.
 *
 * Further paths, each a word after the four numbers (kernel/capture.sh's options):
 *   mprotect  a thread flips a private region between PROT_READ and PROT_READ|PROT_WRITE
 *             (change_protection() under an mmu_gather, 6.0+);
 *   madvfree  a thread dirties a private region and MADV_FREEs it (madvise_free_single_vma());
 *   pageout   a thread touches a private region and MADV_PAGEOUTs it (reclaim_pages() ->
 *             try_to_unmap() with TTU_BATCH_FLUSH; needs swap: /init sets up zram), and
 *             MADV_PAGEOUTs the shared region the zappers touch and zap, and the mprotect
 *             thread's region, so that reclaim's deferred flush races with their gathers
 *             (flush_tlb_batched_pending() under the PT lock, mm/rmap.c);
 *   migrate   a thread moves a private region between NUMA nodes 0 and 1 (move_pages(2));
 *   ksm       the main thread fills a MADV_MERGEABLE region with equal pages, waits for ksmd
 *             to merge them, then writes them (CoW of the KSM page).
 *
 * usage: mmuwork THREADS ITERS FORK(0|1) NOTIFIER(0|1) [mprotect|madvfree|pageout|migrate|ksm]...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define REGION_PAGES 16
#define KVM_CREATE_VM_IOCTL 0xAE01 /* _IO(KVMIO, 0x01) */
#define SIDE_PAGES 8
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define MPOL_MF_MOVE_ (1 << 1)

static char *region;
static int iters;

static unsigned next_rand(unsigned *s) {
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* Touch every page (fault them in), then zap a random sub-range. */
static void *zapper(void *arg) {
    unsigned seed = (unsigned)(unsigned long)arg * 7919u + 1;
    for (int i = 0; i < iters; i++) {
        for (int p = 0; p < REGION_PAGES; p++)
            region[p * PAGE + (next_rand(&seed) % 64)] = (char)i;
        unsigned first = next_rand(&seed) % REGION_PAGES;
        unsigned n = 1 + next_rand(&seed) % (REGION_PAGES - first);
        if (madvise(region + first * PAGE, n * PAGE, MADV_DONTNEED) != 0)
            perror("madvise");
    }
    return NULL;
}

/* mmap, touch, munmap: gathers through unmap_region(). */
static void *mapper(void *arg) {
    (void)arg;
    for (int i = 0; i < iters; i++) {
        char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("mmap");
            return NULL;
        }
        for (int k = 0; k < 4; k++)
            p[k * PAGE] = (char)k;
        munmap(p, 4 * PAGE);
    }
    return NULL;
}

static char *side_region(void) {
    char *p = mmap(NULL, SIDE_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    return p;
}

static void touch(char *p, int n, char v) {
    for (int k = 0; k < n; k++)
        p[k * PAGE] = v;
}

static volatile long sink;
static char *volatile mprot_region; /* the mprotect thread's region, for the pageout thread */

/* mprotect(PROT_READ) and back: change_pte_range() write-protects, tlb_finish_mmu() flushes. */
static void *mprotector(void *arg) {
    (void)arg;
    char *p = side_region();
    mprot_region = p;
    for (int i = 0; i < iters; i++) {
        touch(p, SIDE_PAGES, (char)i);
        if (mprotect(p, SIDE_PAGES * PAGE, PROT_READ) != 0)
            perror("mprotect");
        for (int k = 0; k < SIDE_PAGES; k++)
            sink += p[k * PAGE];
        if (mprotect(p, SIDE_PAGES * PAGE, PROT_READ | PROT_WRITE) != 0)
            perror("mprotect");
    }
    return NULL;
}

/* MADV_FREE of dirty pages, then a store to half of them (which keeps those). */
static void *freer(void *arg) {
    (void)arg;
    char *p = side_region();
    for (int i = 0; i < iters; i++) {
        touch(p, SIDE_PAGES, (char)(i + 1));
        if (madvise(p, SIDE_PAGES * PAGE, MADV_FREE) != 0)
            perror("madvise(MADV_FREE)");
        touch(p, SIDE_PAGES / 2, (char)i);
    }
    return NULL;
}

/*
 * MADV_PAGEOUT: reclaim the pages now (swapped out to zram), then fault them back in; and
 * reclaim the shared region (and the mprotect thread's) while other threads touch, zap and
 * mprotect it: their gathers meet reclaim's deferred flush.
 */
static void *pager(void *arg) {
    (void)arg;
    char *p = side_region();
    for (int i = 0; i < iters; i++) {
        touch(p, SIDE_PAGES, (char)(i + 1));
        if (madvise(p, SIDE_PAGES * PAGE, MADV_PAGEOUT) != 0)
            perror("madvise(MADV_PAGEOUT)");
        if (madvise(region, REGION_PAGES * PAGE, MADV_PAGEOUT) != 0)
            perror("madvise(MADV_PAGEOUT)");
        char *m = mprot_region;
        if (m != NULL && madvise(m, SIDE_PAGES * PAGE, MADV_PAGEOUT) != 0)
            perror("madvise(MADV_PAGEOUT)");
        for (int k = 0; k < SIDE_PAGES; k++)
            sink += p[k * PAGE];
    }
    return NULL;
}

/* move_pages(2) of the region to node i % 2 (migrate_pages() with the old pages unmapped). */
static void *migrator(void *arg) {
    (void)arg;
    char *p = side_region();
    void *pages[SIDE_PAGES];
    int nodes[SIDE_PAGES], status[SIDE_PAGES];
    for (int i = 0; i < iters; i++) {
        touch(p, SIDE_PAGES, (char)(i + 1));
        for (int k = 0; k < SIDE_PAGES; k++) {
            pages[k] = p + k * PAGE;
            nodes[k] = (i + 1) % 2;
        }
        if (syscall(SYS_move_pages, 0, SIDE_PAGES, pages, nodes, status, MPOL_MF_MOVE_) != 0)
            perror("move_pages");
    }
    return NULL;
}

/* KSM: equal pages merged by ksmd (write_protect_page(), replace_page()), then CoW'ed apart. */
static void ksm_run(void) {
    char *p = side_region();
    memset(p, 'k', SIDE_PAGES * PAGE);
    if (madvise(p, SIDE_PAGES * PAGE, MADV_MERGEABLE) != 0) {
        perror("madvise(MADV_MERGEABLE)");
        return;
    }
    for (int i = 0; i < iters; i++) {
        usleep(20000); /* ksmd scans every 10 ms (/init) */
        touch(p, SIDE_PAGES / 2, (char)i);
        memset(p, 'k', SIDE_PAGES * PAGE);
    }
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: mmuwork THREADS ITERS FORK NOTIFIER [mprotect|madvfree|pageout|migrate|ksm]...\n");
        return 2;
    }
    void *(*side[5])(void *);
    int nside = 0, ksm = 0;
    for (int a = 5; a < argc; a++) {
        if (strcmp(argv[a], "mprotect") == 0)
            side[nside++] = mprotector;
        else if (strcmp(argv[a], "madvfree") == 0)
            side[nside++] = freer;
        else if (strcmp(argv[a], "pageout") == 0)
            side[nside++] = pager;
        else if (strcmp(argv[a], "migrate") == 0)
            side[nside++] = migrator;
        else if (strcmp(argv[a], "ksm") == 0)
            ksm = 1;
        else {
            fprintf(stderr, "mmuwork: unknown path '%s'\n", argv[a]);
            return 2;
        }
        if (nside > 4) {
            fprintf(stderr, "mmuwork: a path named twice\n");
            return 2;
        }
    }
    int threads = atoi(argv[1]);
    iters = atoi(argv[2]);
    int do_fork = atoi(argv[3]);
    int notifier = atoi(argv[4]);
    if (threads < 1 || threads > 16 || iters < 1) {
        fprintf(stderr, "mmuwork: bad THREADS or ITERS\n");
        return 2;
    }
    int vm = -1;
    if (notifier) {
        int kvm = open("/dev/kvm", O_RDWR);
        if (kvm < 0 || (vm = ioctl(kvm, KVM_CREATE_VM_IOCTL, 0)) < 0) {
            fprintf(stderr, "mmuwork: KVM_CREATE_VM failed: %s\n", strerror(errno));
            return 3;
        }
        printf("mmuwork: KVM VM created, MMU notifier registered\n");
    }
    region = mmap(NULL, REGION_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    pthread_t t[17], st[5];
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, zapper, (void *)(unsigned long)i);
    pthread_create(&t[threads], NULL, mapper, NULL);
    for (int i = 0; i < nside; i++)
        pthread_create(&st[i], NULL, side[i], NULL);
    if (ksm)
        ksm_run();
    if (do_fork) {
        /* CoW: the child writes pages the parent's threads keep touching and zapping. */
        for (int f = 0; f < 4; f++) {
            pid_t c = fork();
            if (c == 0) {
                for (int p = 0; p < REGION_PAGES; p++)
                    region[p * PAGE + 1] = 'c';
                _exit(0);
            }
            if (c > 0)
                waitpid(c, NULL, 0);
            usleep(2000);
        }
    }
    for (int i = 0; i <= threads; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < nside; i++)
        pthread_join(st[i], NULL);
    if (vm >= 0)
        close(vm);
    printf("mmuwork: done\n");
    return 0;
}
