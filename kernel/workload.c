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
 * usage: mmuwork THREADS ITERS FORK(0|1) NOTIFIER(0|1)
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
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define REGION_PAGES 16
#define KVM_CREATE_VM_IOCTL 0xAE01 /* _IO(KVMIO, 0x01) */

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

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: mmuwork THREADS ITERS FORK NOTIFIER\n");
        return 2;
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
    pthread_t t[17];
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, zapper, (void *)(unsigned long)i);
    pthread_create(&t[threads], NULL, mapper, NULL);
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
    if (vm >= 0)
        close(vm);
    printf("mmuwork: done\n");
    return 0;
}
